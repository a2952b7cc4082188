package engine

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withLazyTables keeps data.toolgate.tables as rules evaluated per decision,
// the way opa test runs them.
func withLazyTables() Option {
	return func(e *Engine) error { e.cfg.lazyTables = true; return nil }
}

// corpusCalls are the example calls and the security corpus: every class of
// tool, benign and malicious.
func corpusCalls(t *testing.T) []Call {
	t.Helper()
	var raws [][]byte
	examples, err := filepath.Glob("../examples/calls/*.json")
	require.NoError(t, err)
	for _, f := range examples {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		raws = append(raws, b)
	}
	lines, err := filepath.Glob("../test/security/testdata/*/*.jsonl")
	require.NoError(t, err)
	for _, f := range lines {
		fh, err := os.Open(f)
		require.NoError(t, err)
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var c struct {
				Call json.RawMessage `json:"call"`
			}
			require.NoError(t, json.Unmarshal(sc.Bytes(), &c))
			raws = append(raws, c.Call)
		}
		require.NoError(t, fh.Close())
	}
	var calls []Call
	for _, raw := range raws {
		if call, err := ParseCall(raw, Limits{}); err == nil {
			calls = append(calls, call)
		}
	}
	require.Greater(t, len(calls), 500)
	return calls
}

// TestTablesGiveTheSameDecisions: serving the tables as data must not change
// a single decision: the materialized engine and the lazy one (opa test's
// way) agree on every corpus call, under the shipped settings and under
// settings that exercise other branches of the table rules.
func TestTablesGiveTheSameDecisions(t *testing.T) {
	ps, err := LoadDefault()
	require.NoError(t, err)
	calls := corpusCalls(t)
	settings := map[string]map[string]any{
		"shipped": nil,
		"changed": {
			"approval":    map[string]any{"risks": []any{"high"}, "roles": []any{"developer", "nope"}},
			"concurrency": map[string]any{"principal": map[string]any{"limit": 3}, "tools": map[string]any{"not.in.catalog": map[string]any{"limit": 1}}},
			"network":     map[string]any{"mode": "allowlist", "allow_hosts": []any{"b.example", "a.example"}},
		},
	}
	ctx := context.Background()
	for name, s := range settings {
		t.Run(name, func(t *testing.T) {
			ids := func() string { return "id" }
			fast, err := New(ctx, ps, WithSettings(s), WithIDs(ids))
			require.NoError(t, err)
			lazy, err := New(ctx, ps, WithSettings(s), WithIDs(ids), withLazyTables())
			require.NoError(t, err)
			decided := 0
			for _, call := range calls {
				want, werr := lazy.Decide(ctx, call)
				got, gerr := fast.Decide(ctx, call)
				require.Equal(t, werr, gerr, call.Tool.Name)
				require.Equal(t, want, got, "%s %v", call.Tool.Name, call.Tool.Arguments)
				if werr == nil {
					decided++
				}
			}
			// Two engines failing alike on every call would agree too.
			require.Greater(t, decided, len(calls)*9/10, "most corpus calls must reach a decision")
		})
	}
}

func tablesSet(t *testing.T, tables string) PolicySet {
	t.Helper()
	ps, err := LoadFS(fstest.MapFS{
		"decision.rego": {Data: []byte(`package toolgate
import data.toolgate.tables
decision := {"allow": false, "violations": [], "sandbox": {}, "rate_limits": [], "obligations": [], "audit": {"level": "info", "redact": []}, "row": tables.row}
`)},
		"tables.rego":              {Data: []byte(tables)},
		"toolgate/tools/data.json": {Data: []byte(`{}`)},
		"lib.rego": {Data: []byte(`package toolgate.lib
caller := input.principal.id
ws := input.environment.workspace
`)},
	}, ".")
	require.NoError(t, err)
	return ps
}

// A table that reads per-call input would be computed once for all calls:
// the engine refuses it, directly or through a rule it uses.
func TestTablesMayNotReadCallInput(t *testing.T) {
	ctx := context.Background()
	for name, src := range map[string]string{
		"direct":      "package toolgate.tables\nrow := input.tool.name\n",
		"whole input": "package toolgate.tables\nrow := object.get(input, \"x\", 1)\n",
		"through lib": "package toolgate.tables\nimport data.toolgate.lib\nrow := lib.caller\n",
	} {
		_, err := New(ctx, tablesSet(t, src))
		require.ErrorIs(t, err, ErrPolicy, name)
		assert.Contains(t, err.Error(), "may read data and input.environment only", name)
	}
	_, err := New(ctx, tablesSet(t, "package toolgate.tables\nimport data.toolgate.lib\nrow := lib.ws\n"))
	require.NoError(t, err, "input.environment is the engine's own and may be read")
}

// A set would be served as a JSON array, where a lookup silently fails.
func TestTablesMustBeJSON(t *testing.T) {
	_, err := New(context.Background(), tablesSet(t, "package toolgate.tables\nrow := {\"a\"}\n"))
	require.ErrorIs(t, err, ErrPolicy)
	assert.Contains(t, err.Error(), "use an object of true")
}

func TestTablesMayNotShadowData(t *testing.T) {
	ps := tablesSet(t, "package toolgate.tables\nrow := 1\n")
	ps.Data["toolgate"].(map[string]any)["tables"] = map[string]any{"row": 2}
	_, err := New(context.Background(), ps)
	require.ErrorIs(t, err, ErrPolicy)
	assert.Contains(t, err.Error(), "both data and")
}
