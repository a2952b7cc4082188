package security_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// growthShapes build shell command lines of n simple commands, in the shapes
// the policies group, unwrap or scan: distinct names, names that carry a tag,
// wrappers, pipelines, redirects, find -exec, repeated names.
var growthShapes = map[string]func(i int) string{
	"distinct names":  func(i int) string { return fmt.Sprintf("cmd%d x", i) },
	"tagged names":    func(i int) string { return fmt.Sprintf("python%d x", i) },
	"wrapped":         func(i int) string { return fmt.Sprintf("sudo env nice cmd%d x", i) },
	"pipelines":       func(i int) string { return fmt.Sprintf("cat f%d | grep x", i) },
	"redirects":       func(i int) string { return fmt.Sprintf("echo x > out%d.txt", i) },
	"find exec":       func(i int) string { return fmt.Sprintf("find d%d -exec cmd%d {} +", i, i) },
	"same name":       func(i int) string { return "ls -la" },
	"downloads":       func(i int) string { return fmt.Sprintf("curl -o f%d https://x.example/%d", i, i) },
	"sensitive words": func(i int) string { return fmt.Sprintf("cat a%d/.env", i) },
}

func shellCall(shape func(int) string, n int) engine.Call {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = shape(i)
	}
	return growthCall("shell.exec", map[string]any{"command": strings.Join(parts, "; ")})
}

// growthCalls build calls with n paths, recipients or SQL statements.
var growthCalls = map[string]func(n int) engine.Call{
	"paths": func(n int) engine.Call {
		paths := make([]any, n)
		for i := range paths {
			paths[i] = fmt.Sprintf("src/f%d.go", i)
		}
		return growthCall("read_multiple_files", map[string]any{"paths": paths})
	},
	"recipients": func(n int) engine.Call {
		to := make([]any, n)
		for i := range to {
			to[i] = fmt.Sprintf("u%d@acme.example", i)
		}
		return growthCall("email.send", map[string]any{"to": to, "subject": "s", "body": "b"})
	},
	"statements": func(n int) engine.Call {
		return growthCall("sql.query", map[string]any{"query": strings.Repeat("select a from t where b = 1; ", n)})
	},
	"shell words": func(n int) engine.Call {
		return growthCall("shell.exec", map[string]any{"command": "ls " + strings.Repeat("a/.env b ", n)})
	},
}

func growthCall(tool string, args map[string]any) engine.Call {
	return engine.Call{
		Tool:      engine.Tool{Name: tool, Arguments: args},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}},
	}
}

// A call cannot make its decision cost grow faster than its size: ten times
// the commands may cost at most about ten times the evaluation (allocations
// are deterministic; time is not asserted). A rule that compares every
// command with every other would let one 64 KiB command line take seconds.
func TestDecisionCostGrowsLinearly(t *testing.T) {
	ps, err := engine.LoadDefault()
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps, engine.WithWorkspace(workspace))
	require.NoError(t, err)
	allocs := func(call engine.Call) float64 {
		d, err := eng.Decide(context.Background(), call) // denied or allowed: both are decisions
		require.NoError(t, err)
		for _, v := range d.Violations {
			require.NotContains(t, []string{"shell_unparsed", "sql_unparsed", "email_invalid", "path_invalid"}, v.Code,
				"the arguments must be parsed, or their rules are not what is measured")
		}
		return testing.AllocsPerRun(1, func() { _, _ = eng.Decide(context.Background(), call) })
	}
	// large stays under the fact builder's 1024 command entries (a wrapped
	// command counts once per wrapper).
	const small, large = 20, 200
	for name, shape := range growthShapes {
		t.Run(name, func(t *testing.T) {
			a, b := allocs(shellCall(shape, small)), allocs(shellCall(shape, large))
			t.Logf("%d commands: %.0f allocs, %d: %.0f (×%.1f)", small, a, large, b, b/a)
			require.Less(t, b/a, 2.0*large/small, "cost grows faster than the command line")
		})
	}
	for name, build := range growthCalls {
		t.Run(name, func(t *testing.T) {
			a, b := allocs(build(small)), allocs(build(large))
			t.Logf("%d: %.0f allocs, %d: %.0f (×%.1f)", small, a, large, b, b/a)
			require.Less(t, b/a, 2.0*large/small, "cost grows faster than the call")
		})
	}
}
