package engine

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/stretchr/testify/require"
)

// quickPaths pairs each rule that answers the common case without evaluating
// every finding with the findings it stands for. They must agree on every
// corpus call: a quick test that says "clean" when a finding applies would
// let the call through.
var quickPaths = map[string]string{
	"authz": "data.toolgate.authz.violations == data.toolgate.authz.found",
	"fs":    "data.toolgate.fs.violations == data.toolgate.fs.findings",
	"net":   "data.toolgate.net.violations == data.toolgate.net.findings",
	"sql":   "data.toolgate.sql.violations == data.toolgate.sql.findings",
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
	for name, query := range quickPaths {
		pq, err := prepareQuery(ctx, c, store, query)
		require.NoError(t, err, name)
		for _, call := range calls {
			in, err := p.input(call)
			if err != nil {
				continue // refused before the policies run
			}
			rs, err := pq.Eval(ctx, rego.EvalParsedInput(in))
			require.NoError(t, err, name)
			require.True(t, rs.Allowed(), "%s: quick path and findings differ for %s %v", name, call.Tool.Name, call.Tool.Arguments)
		}
	}
}
