package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// testCatalog marks echo's "path" argument as a path and gives it a schema.
const testCatalog = `{"toolgate": {"tools": {"echo": {
  "class": "fs_read",
  "facts": {"path": "path"},
  "schema": {"type": "object", "properties": {"path": {"type": "string"}, "n": {"type": "integer"}},
             "additionalProperties": false}
}}, "settings": {"limit": 5}}}`

// testPolicy allows echo for alice unless the path leaves the workspace, and
// reports what it saw so tests can check the input document.
const testPolicy = `package toolgate

default allowed := false

allowed if {
	input.principal.id == "alice"
	input.tool.name == "echo"
	not leaves
}

leaves if input.facts.paths["arguments.path"].inside_workspace == false

violations := [v | leaves; v := {"code": "path_traversal", "severity": "high", "field": "arguments.path", "message": "out"}]

decision := {
	"allow": allowed,
	"violations": violations,
	"sandbox": {"timeout_ms": 1000, "cpu_ms": 500, "memory_mb": 64, "max_output_bytes": 1024,
	            "max_procs": 4, "network": "none", "allow_hosts": [],
	            "read_paths": [input.environment.workspace], "write_paths": []},
	"rate_limits": [{"key": concat("", ["principal:", input.principal.id]), "limit": data.toolgate.settings.limit, "per": "1m"}],
	"audit": {"level": "info", "redact": []},
	"obligations": [],
}
`

func policySet(t testing.TB, policy string) engine.PolicySet {
	t.Helper()
	fsys := fstest.MapFS{
		"p/decision.rego":      {Data: []byte(policy)},
		"p/decision_test.rego": {Data: []byte("package toolgate_test\n\ntest_x if true\n")},
		"p/data.json":          {Data: []byte(testCatalog)},
	}
	ps, err := engine.LoadFS(fsys, "p")
	require.NoError(t, err)
	return ps
}

func newEngine(t testing.TB, policy string, opts ...engine.Option) *engine.Engine {
	t.Helper()
	e, err := engine.New(context.Background(), policySet(t, policy), opts...)
	require.NoError(t, err)
	return e
}

func call(principal, path string) engine.Call {
	return engine.Call{
		Tool:      engine.Tool{Name: "echo", Arguments: map[string]any{"path": path}},
		Principal: engine.Principal{ID: principal, Roles: []string{"developer"}},
	}
}

func TestDecideAllowAndDeny(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy, engine.WithWorkspace("/srv/ws"))
	ctx := context.Background()

	d, err := e.Decide(ctx, call("alice", "notes/a.md"))
	require.NoError(t, err)
	assert.True(t, d.Allow)
	assert.Empty(t, d.Violations)
	assert.Len(t, d.ID, 36)
	assert.Equal(t, []string{"/srv/ws"}, d.Sandbox.ReadPaths)
	assert.Equal(t, []engine.RateLimit{{Key: "principal:alice", Limit: 5, Per: "1m"}}, d.RateLimits)
	assert.Equal(t, e.Revision(), d.Revision)

	d, err = e.Decide(ctx, call("alice", "../../etc/passwd"))
	require.NoError(t, err)
	assert.False(t, d.Allow)
	assert.Equal(t, []string{"path_traversal"}, d.Codes())

	d, err = e.Decide(ctx, call("mallory", "a"))
	require.NoError(t, err)
	assert.False(t, d.Allow, "default deny for an unknown principal")
}

func TestSchemaViolationIsInvalidInput(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy)
	c := call("alice", "a")
	c.Tool.Arguments["n"] = "not a number"
	_, err := e.Decide(context.Background(), c)
	require.ErrorIs(t, err, engine.ErrInvalidInput)
	assert.Contains(t, err.Error(), "/n")

	c = call("alice", "a")
	c.Tool.Arguments["extra"] = true
	_, err = e.Decide(context.Background(), c)
	require.ErrorIs(t, err, engine.ErrInvalidInput)
}

func TestContractViolationsDeny(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"undefined":            "package toolgate\n\ndecision := x if { x := 1; false }\n",
		"not an object":        "package toolgate\n\ndecision := true\n",
		"missing keys":         "package toolgate\n\ndecision := {\"allow\": true}\n",
		"allow with violation": replace(testPolicy, `"violations": violations`, `"violations": [{"code": "x", "severity": "low", "message": "m"}]`, `"allow": allowed`, `"allow": true`),
		"set not array":        replace(testPolicy, `"obligations": []`, `"obligations": {"x"}`),
		"bad network":          replace(testPolicy, `"network": "none"`, `"network": "open"`),
		"negative limit":       replace(testPolicy, `"memory_mb": 64`, `"memory_mb": -1`),
		"allow not bool":       replace(testPolicy, `"allow": allowed`, `"allow": "yes"`),
	}
	for name, policy := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEngine(t, policy)
			d, err := e.Decide(context.Background(), call("alice", "a"))
			require.ErrorIs(t, err, engine.ErrPolicy)
			assert.False(t, d.Allow)
		})
	}
}

// A builtin given the wrong type must make the decision fail, not quietly
// drop the rule that would have denied (OPA's non-strict default).
func TestBuiltinErrorFailsClosed(t *testing.T) {
	t.Parallel()
	policy := replace(testPolicy, `input.tool.name == "echo"`, `count(input.tool.arguments.path) < 100`)
	e := newEngine(t, policy)
	c := call("alice", "a")
	c.Tool.Name = "other" // no schema, so a number reaches the policy
	c.Tool.Arguments["path"] = 12345
	_, err := e.Decide(context.Background(), c)
	require.ErrorIs(t, err, engine.ErrPolicy)
}

func TestNetworkBuiltinsAreNotAvailable(t *testing.T) {
	t.Parallel()
	policy := testPolicy + "\nx := http.send({\"method\": \"get\", \"url\": \"http://169.254.169.254/\"})\n"
	_, err := engine.New(context.Background(), policySet(t, policy))
	require.ErrorIs(t, err, engine.ErrPolicy)
	assert.Contains(t, err.Error(), "http.send")
}

func TestSettingsOverrides(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy, engine.WithSettings(map[string]any{"limit": 9}))
	d, err := e.Decide(context.Background(), call("alice", "a"))
	require.NoError(t, err)
	assert.Equal(t, int64(9), d.RateLimits[0].Limit)

	_, err = engine.New(context.Background(), policySet(t, testPolicy), engine.WithSettings(map[string]any{"limt": 9}))
	require.ErrorIs(t, err, engine.ErrPolicy)
	assert.Contains(t, err.Error(), `"limt"`)
}

func TestWorkspaceMustBeAbsolute(t *testing.T) {
	t.Parallel()
	_, err := engine.New(context.Background(), policySet(t, testPolicy), engine.WithWorkspace("rel"))
	require.Error(t, err)
}

func TestFailedLoadKeepsServingTheOldSet(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy)
	before := e.Revision()
	broken := engine.PolicySet{Modules: policySet(t, testPolicy).Modules, Data: map[string]any{}}
	require.ErrorIs(t, e.Load(context.Background(), broken), engine.ErrPolicy)
	assert.Equal(t, before, e.Revision())
	d, err := e.Decide(context.Background(), call("alice", "a"))
	require.NoError(t, err)
	assert.True(t, d.Allow)
}

// Decisions racing a reload see one whole policy set or the other: every
// decision names its revision, and the answer is the one that revision
// gives.
func TestConcurrentDecideDuringReload(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy)
	denyAll := replace(testPolicy, `input.principal.id == "alice"`, `input.principal.id == "nobody"`)
	sets := []engine.PolicySet{policySet(t, denyAll), policySet(t, testPolicy)}
	allows := map[string]bool{sets[0].Revision: false, sets[1].Revision: true}
	require.Len(t, allows, 2, "the two sets have distinct revisions")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				d, err := e.Decide(context.Background(), call("alice", "a"))
				assert.NoError(t, err)
				want, known := allows[d.Revision]
				assert.True(t, known, "revision %q is one of the two sets", d.Revision)
				assert.Equal(t, want, d.Allow, "revision %s answers as that set does", d.Revision)
			}
		}()
	}
	for i := 0; i < 10; i++ {
		require.NoError(t, e.Load(context.Background(), sets[i%2]))
	}
	wg.Wait()
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.Decide(ctx, call("alice", "a"))
	require.True(t, errors.Is(err, context.Canceled))
}

// replace swaps each old/new pair once; a missing old string is a bug in
// the test itself.
func replace(s string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic("replace: " + pairs[i] + " not found")
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}
