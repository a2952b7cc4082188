package facts

import (
	"fmt"
	"strings"
	"testing"
)

// TestSQLFunctions: the functions a statement calls, however the call is
// written, and no name that only looks like one.
func TestSQLFunctions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, q string
		want    []string
	}{
		{"plain", "SELECT dblink_exec('dbname=prod','DROP TABLE users')", []string{"dblink_exec"}},
		{"upper case", "SELECT DBLINK_EXEC('x')", []string{"dblink_exec"}},
		{"block comment before (", "SELECT dblink_exec/**/('x')", []string{"dblink_exec"}},
		{"line comment before (", "SELECT dblink_exec -- c\n ('x')", []string{"dblink_exec"}},
		{"space before (", "SELECT sys_exec  ('id')", []string{"sys_exec"}},
		{"quoted", `SELECT "dblink_exec"('x')`, []string{"dblink_exec"}},
		{"backticks", "SELECT `sys_exec`('id')", []string{"sys_exec"}},
		{"schema-qualified", "SELECT public.dblink_exec('x')", []string{"dblink_exec"}},
		{"quoted schema-qualified", `SELECT "public" . "DBLINK_EXEC"('x')`, []string{"dblink_exec"}},
		{"unicode escapes", `SELECT U&"\0064blink_exec"('x')`, []string{"dblink_exec"}},
		{"long unicode escape", `SELECT u&"\+000064blink_exec"('x')`, []string{"dblink_exec"}},
		{"uescape", `SELECT U&"d!0062link!!exec" UESCAPE '!' ('x')`, []string{"dblink!exec"}},
		{"malformed escape kept", `SELECT U&"\zz"('x')`, []string{`\zz`}},
		{"not glued to U&", `SELECT U & "\0064"('x')`, []string{`\0064`}},
		{"mysql executable comment", "SELECT /*!50000 sys_exec */('id')", []string{"sys_exec"}},
		{"in a from clause", "SELECT * FROM dblink('dbname=prod', 'DELETE FROM t') AS x(a int)", []string{"dblink", "x"}},
		{"nested and deduplicated", "SELECT lower(upper(a)), LOWER(b) FROM t", []string{"lower", "upper"}},
		{"name in a string", "SELECT 'dblink_exec(' FROM t", nil},
		{"name in a comment", "SELECT 1 /* dblink_exec( */ -- lo_import(\n", nil},
		// A string to PostgreSQL, a call between two names to MySQL.
		{"name in a dollar string", "SELECT $q$ dblink_exec('x') $q$", []string{"dblink_exec"}},
		{"keywords", "SELECT * FROM t WHERE id IN (1) AND EXISTS (SELECT 1) AND x = ANY (ARRAY[1])", nil},
		{"cast is syntax", "SELECT CAST(x AS int) FROM t", nil},
		{"harmless calls", "SELECT count(*), lower(name), now(), coalesce(a, b), json_build_object('a', 1) FROM t",
			[]string{"count", "lower", "now", "coalesce", "json_build_object"}},
		{"table before columns", "INSERT INTO t (a) VALUES (1)", []string{"t"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := ParseSQL(c.q)
			if !f.OK || len(f.Statements) != 1 {
				t.Fatalf("%q: %+v", c.q, f)
			}
			if got := f.Statements[0].Functions; strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("%q: functions %q, want %q", c.q, got, c.want)
			}
		})
	}
}

// TestSQLFunctionsTerm: the fact carries the functions, merged over the
// readings of one statement.
func TestSQLFunctionsTerm(t *testing.T) {
	t.Parallel()
	// PostgreSQL and SQLite read a call, MySQL a string: one statement.
	assertTerm(t, ParseSQL(`SELECT "lo_import"('/etc/passwd')`).Term(),
		sqlJSON(1, false, stf("select", false, false, "lo_import")))
	// MySQL reads sys_exec in its executable comment, the others a comment.
	assertTerm(t, ParseSQL("SELECT lower(a) /*! , sys_exec('id') */ FROM t").Term(),
		sqlJSON(1, true, stf("select", false, false, "lower", "sys_exec")))
	if s := fmt.Sprint(ParseSQL("SELECT now()").Statements); s != "[{Kind:select HasWhere:false With:false Functions:[now]}]" {
		t.Errorf("String: %s", s)
	}
}

// TestSQLBoundsFailClosed: a bound reached by any reading fails the fact,
// also when another reading sees only a string.
func TestSQLBoundsFailClosed(t *testing.T) {
	t.Parallel()
	calls := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, ", f%d(x)", i)
		}
		return b.String()
	}
	cases := []struct{ name, q, err string }{
		{"too many functions", "SELECT 1" + calls(maxSQLFunctions+1), "postgresql: more than 64 functions in one statement"},
		// MySQL reads '\' … -- ' as one string; PostgreSQL runs the calls.
		{"functions hidden from mysql", `SELECT '\'` + calls(maxSQLFunctions+1) + " -- '",
			"postgresql: more than 64 functions in one statement"},
		{"sub-statements hidden from mysql", `SELECT '\' ` + strings.Repeat("(DELETE ", maxSubStatements+1) + "-- '",
			"postgresql: more than 64 data-modifying sub-statements"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParseSQL(c.q).Term(), `{"ok":false,"error":`+jsonString(c.err)+`}`)
		})
	}
	f := ParseSQL("SELECT 1" + calls(maxSQLFunctions-1) + strings.Repeat(", lower(x)", 10000))
	if !f.OK || len(f.Statements[0].Functions) != maxSQLFunctions {
		t.Errorf("63 distinct functions and lower: %+v", f)
	}
}
