package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quickPaths pairs each rule that answers the common case without evaluating
// every finding with the findings it stands for. They must agree on every
// corpus call: a quick test that says "clean" when a finding applies would
// let the call through.
var quickPaths = map[string][2]string{
	"authz": {"data.toolgate.authz.violations", "data.toolgate.authz.found"},
	"fs":    {"data.toolgate.fs.violations", "data.toolgate.fs.findings"},
	"net":   {"data.toolgate.net.violations", "data.toolgate.net.findings"},
	"sql":   {"data.toolgate.sql.violations", "data.toolgate.sql.findings"},
}

func TestQuickPathsAgreeWithTheFindings(t *testing.T) {
	ps, err := LoadDefault()
	require.NoError(t, err)
	ctx := context.Background()
	eng, err := New(ctx, ps)
	require.NoError(t, err)
	p := eng.cur.Load()
	calls := corpusCalls(t)
	c, store, _, err := compileSet(ctx, ps, compileConfig{workspace: DefaultWorkspace})
	require.NoError(t, err)
	for name, rules := range quickPaths {
		pq, err := prepareQuery(ctx, c, store, fmt.Sprintf("quick := %s; full := %s", rules[0], rules[1]))
		require.NoError(t, err, name)
		var clean, found int
		for _, call := range calls {
			in, err := p.input(call)
			if err != nil {
				continue // refused before the policies run
			}
			rs, err := pq.Eval(ctx, rego.EvalParsedInput(in))
			require.NoError(t, err, name)
			if len(rs) == 0 {
				continue // the package was not asked: the call has no facts of its kind
			}
			quick, full := rs[0].Bindings["quick"], rs[0].Bindings["full"]
			require.Equal(t, full, quick, "%s: quick path and findings differ for %s %v", name, call.Tool.Name, call.Tool.Arguments)
			if len(full.([]any)) == 0 {
				clean++
			} else {
				found++
			}
		}
		// Both branches must have been taken, or the comparison proved nothing.
		assert.Positive(t, clean, "%s: no corpus call took the quick path", name)
		assert.Positive(t, found, "%s: no corpus call had a finding", name)
		t.Logf("%s: %d clean, %d with findings", name, clean, found)
	}
}
