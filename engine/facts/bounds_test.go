package facts

import (
	"strings"
	"testing"
)

// TestAdversarialInputsStayBounded feeds inputs that made earlier versions
// quadratic (seconds to minutes each). They must now finish quickly, with a
// fail-closed answer; a regression shows up as a test timeout.
func TestAdversarialInputsStayBounded(t *testing.T) {
	t.Parallel()
	const n = 30000
	sqlCases := []struct{ name, q, want string }{
		{"deeply parenthesised tautology counts as no where",
			"DELETE FROM t WHERE " + strings.Repeat("(", 100000) + "1=1" + strings.Repeat(")", 100000),
			sqlJSON(1, false, st("delete", false, false))},
		{"explain chain", strings.Repeat("EXPLAIN ", n), sqlJSON(1, false, st("explain", false, false))},
		{"nested data-modifying statements", "SELECT " + strings.Repeat("(DELETE ", n),
			`{"ok":false,"error":"postgresql: more than 64 data-modifying sub-statements"}`},
		{"repeated where", "SELECT 1 " + strings.Repeat("WHERE 1 ", n), sqlJSON(1, false, st("select", false, false))},
	}
	for _, c := range sqlCases {
		assertTerm(t, ParseSQL(c.q).Term(), c.want)
	}
	shellCases := []struct{ name, cmd, err string }{
		{"nested substitutions", strings.Repeat(`echo "$(`, 5000) + strings.Repeat(`)"`, 5000), "more than 1024 commands"},
		{"nested functions", strings.Repeat("f(){ ", 6000) + ":" + strings.Repeat("; }", 6000), "pipelines or function definitions nested too deeply"},
		{"many functions", funcDefs(maxShellFunctions + 1), "more than 256 function definitions"},
		{"nested pipelines", strings.Repeat("a | (", 6000) + "b" + strings.Repeat(")", 6000), "pipelines or function definitions nested too deeply"},
	}
	for _, c := range shellCases {
		assertTerm(t, ParseShell(c.cmd).Term(), `{"ok":false,"error":`+jsonString(c.err)+`}`)
	}
}

func funcDefs(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("f")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i/7%26)))
		b.WriteString(string(rune('a' + i/182)))
		b.WriteString("(){ :; };")
	}
	return b.String()
}
