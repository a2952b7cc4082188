package middleware_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/mcpgate"
	"github.com/toolgate/toolgate/mcpgate/middleware"
	"github.com/toolgate/toolgate/policies"
	"github.com/toolgate/toolgate/test/mcp/toolserver"
)

// guarded wraps the integration tests' server and connects a client.
func guarded(t *testing.T, principal middleware.PrincipalFunc) (*mcp.ClientSession, *toolserver.Counter) {
	t.Helper()
	ctx := context.Background()
	ws, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(ws, "notes.txt"), []byte("buy milk"), 0o600))
	ps, err := engine.LoadFS(policies.FS(), ".")
	require.NoError(t, err)
	eng, err := engine.New(ctx, ps, engine.WithWorkspace(ws))
	require.NoError(t, err)
	coord, err := coordinator.New(eng)
	require.NoError(t, err)
	gate, err := mcpgate.New(coord, mcpgate.WithEngine(eng))
	require.NoError(t, err)
	counter := toolserver.NewCounter("")
	server := toolserver.New(ws, counter)
	middleware.Wrap(server, gate, principal)
	st, ct := mcp.NewInMemoryTransports()
	_, err = server.Connect(ctx, st, nil)
	require.NoError(t, err)
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "v1"}, nil).Connect(ctx, ct, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cs.Close() })
	return cs, counter
}

// Denied calls never reach the tool handler; allowed ones return its result.
func TestDeniedCallsNeverReachTheHandler(t *testing.T) {
	t.Parallel()
	cs, counter := guarded(t, middleware.Static(engine.Principal{ID: "dana", Roles: []string{"developer"}}))
	ctx := context.Background()
	for _, c := range []mcp.CallToolParams{
		{Name: "read_file", Arguments: map[string]any{"path": "/etc/shadow"}},
		{Name: "fetch", Arguments: map[string]any{"url": "http://[::ffff:127.0.0.1]:8080/"}},
		{Name: "debug_dump", Arguments: map[string]any{}},
	} {
		res, err := cs.CallTool(ctx, &c)
		require.NoError(t, err)
		assert.True(t, res.IsError, c.Name)
		assert.Contains(t, res.Meta, mcpgate.RefusalMetaKey)
	}
	assert.Equal(t, int64(0), counter.Calls())
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "read_file", Arguments: map[string]any{"path": "notes.txt"}})
	require.NoError(t, err)
	assert.Equal(t, "buy milk", res.Content[0].(*mcp.TextContent).Text)
	assert.Equal(t, int64(1), counter.Calls())
}

// Without a verified token, FromToken refuses the request outright.
func TestFromTokenNeedsAToken(t *testing.T) {
	t.Parallel()
	cs, counter := guarded(t, middleware.FromToken)
	_, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "read_file", Arguments: map[string]any{"path": "notes.txt"}})
	require.ErrorContains(t, err, "no verified bearer token")
	_, err = cs.ListTools(context.Background(), nil)
	require.Error(t, err)
	assert.Equal(t, int64(0), counter.Calls())

	p, err := middleware.FromToken(context.Background(), &mcp.CallToolRequest{Extra: &mcp.RequestExtra{
		TokenInfo: &auth.TokenInfo{UserID: "vic", Scopes: []string{"viewer"}, Extra: map[string]any{"tenant": "acme"}},
	}})
	require.NoError(t, err)
	assert.Equal(t, engine.Principal{ID: "vic", Roles: []string{"viewer"}, Tenant: "acme"}, p)
}
