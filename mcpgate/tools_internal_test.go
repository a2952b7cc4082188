package mcpgate

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

type noExec struct{}

func (noExec) Execute(context.Context, engine.Call, coordinator.Tool) (coordinator.Result, error) {
	return coordinator.Result{}, nil
}

func listResponse(tools ...string) *jsonrpc.Response {
	raw := `{"tools":[`
	for i, t := range tools {
		if i > 0 {
			raw += ","
		}
		raw += t
	}
	return &jsonrpc.Response{Result: json.RawMessage(raw + `]}`)}
}

// A tools/list that repeats a tool's schema reuses the compiled schema; a
// changed schema, or a forgotten list, compiles it again.
func TestListingReusesCompiledSchemas(t *testing.T) {
	g, err := New(noExec{})
	require.NoError(t, err)
	ctx := context.Background()
	const schema = `{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}`
	tool := func(annotations, schema string) string {
		return `{"name":"read_file","annotations":` + annotations + `,"inputSchema":` + schema + `}`
	}
	list := func(r *jsonrpc.Response) toolInfo {
		t.Helper()
		out := g.FilterList(ctx, engine.Principal{ID: "p"}, r)
		require.Nil(t, out.Error)
		info, ok := g.tools.get("read_file")
		require.True(t, ok)
		require.NotNil(t, info.schema)
		return info
	}

	first := list(listResponse(tool(`{"readOnlyHint":true}`, schema)))
	second := list(listResponse(tool(`{"readOnlyHint":false}`, schema)))
	assert.Same(t, first.schema, second.schema, "an unchanged schema is not compiled again")
	assert.Equal(t, false, second.annotations["readOnlyHint"], "annotations follow the latest listing")
	require.Error(t, second.validate(map[string]any{}), "the reused schema still validates")
	require.NoError(t, second.validate(map[string]any{"path": "a"}))

	changed := list(listResponse(tool(`{}`, `{"type":"object","required":["other"]}`)))
	assert.NotSame(t, second.schema, changed.schema, "a changed schema is compiled")
	require.Error(t, changed.validate(map[string]any{"path": "a"}))

	g.ForgetTools()
	again := list(listResponse(tool(`{}`, `{"type":"object","required":["other"]}`)))
	assert.NotSame(t, changed.schema, again.schema, "a forgotten list is learned afresh")

	bad := `{"name":"broken","inputSchema":{"type":7}}`
	out := g.FilterList(ctx, engine.Principal{ID: "p"}, listResponse(bad))
	require.Nil(t, out.Error)
	b1, _ := g.tools.get("broken")
	_ = g.FilterList(ctx, engine.Principal{ID: "p"}, listResponse(bad))
	b2, _ := g.tools.get("broken")
	require.Error(t, b1.schemaErr)
	assert.Same(t, b1.schemaErr, b2.schemaErr, "a schema that did not compile is not retried while unchanged")
}
