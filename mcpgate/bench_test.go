package mcpgate_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
	"github.com/toolgate/toolgate/mcpgate"
)

// BenchmarkGate is the gate's own cost per tools/call, without any
// transport: check, forward to an in-process server stand-in, response
// policy. Beside it, the decision alone (engine.Decide) in the same run.
func BenchmarkGate(b *testing.B) {
	ws := workspace(b, nil)
	eng := newEngine(b, ws)
	coord, err := coordinator.New(eng, coordinator.WithLimiter(limits.NewMemory()))
	require.NoError(b, err)
	g, err := mcpgate.New(coord, mcpgate.WithEngine(eng))
	require.NoError(b, err)
	params, _ := json.Marshal(map[string]any{"name": "read_file", "arguments": map[string]any{"path": "notes.txt"}})
	id, _ := jsonrpc.MakeID(float64(1))
	req := &jsonrpc.Request{ID: id, Method: "tools/call", Params: params}
	listed, _ := json.Marshal(map[string]any{"tools": []any{map[string]any{"name": "read_file", "inputSchema": map[string]any{"type": "object"}}}})
	result, _ := json.Marshal(map[string]any{"content": []any{map[string]any{"type": "text", "text": "buy milk"}}})
	s := mcpgate.Session{Principal: developer, Forward: func(_ context.Context, r *jsonrpc.Request) (*jsonrpc.Response, error) {
		if r.Method == "tools/list" {
			return &jsonrpc.Response{ID: r.ID, Result: listed}, nil
		}
		return &jsonrpc.Response{ID: r.ID, Result: result}, nil
	}}
	ctx := context.Background()
	b.Run("gate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if resp := g.CallTool(ctx, s, req); resp.Error != nil {
				b.Fatal(resp.Error)
			}
		}
	})
	b.Run("decide", func(b *testing.B) {
		call := engine.Call{Tool: engine.Tool{Name: "read_file", Arguments: map[string]any{"path": "notes.txt"}}, Principal: developer}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := eng.Decide(ctx, call); err != nil {
				b.Fatal(err)
			}
		}
	})
}
