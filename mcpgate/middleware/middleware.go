// Package middleware guards a server built with the official MCP Go SDK
// (github.com/modelcontextprotocol/go-sdk) in process: one call to Wrap, and
// every tools/call runs through coordinator.Execute (decision, rate limits,
// audit, timeout, output cap, approval) and the response policy, and
// tools/list only shows the tools the caller may use. Refused calls get the
// same MCP tool error as through the proxy (see mcpgate.Refusal).
package middleware

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/mcpgate"
)

// PrincipalFunc names the caller of a request.
type PrincipalFunc func(ctx context.Context, req mcp.Request) (engine.Principal, error)

// Static names every caller p (a server whose one client is known, like a
// stdio server started by one user).
func Static(p engine.Principal) PrincipalFunc {
	return func(context.Context, mcp.Request) (engine.Principal, error) { return p, nil }
}

// FromToken reads the caller from the bearer token that
// auth.RequireBearerToken verified (UserID, Scopes as roles,
// Extra["tenant"]), as mcpgate.PrincipalFromTokenInfo maps it. A request
// without one is refused.
func FromToken(_ context.Context, req mcp.Request) (engine.Principal, error) {
	var info *auth.TokenInfo
	if extra := req.GetExtra(); extra != nil {
		info = extra.TokenInfo
	}
	return mcpgate.PrincipalFromTokenInfo(info)
}

// Wrap adds the guard as the outermost receiving middleware of server.
func Wrap(server *mcp.Server, gate *mcpgate.Gate, principal PrincipalFunc) {
	g := &guard{gate: gate, principal: principal}
	server.AddReceivingMiddleware(g.middleware)
}

type guard struct {
	gate      *mcpgate.Gate
	principal PrincipalFunc
	ids       atomic.Int64
}

// Methods the guard acts on.
const (
	methodCallTool  = "tools/call"
	methodListTools = "tools/list"
)

func (g *guard) middleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		switch r := req.(type) {
		case *mcp.CallToolRequest:
			return g.callTool(ctx, next, r)
		case *mcp.ListToolsRequest:
			return g.listTools(ctx, next, r)
		}
		return next(ctx, method, req)
	}
}

func (g *guard) callTool(ctx context.Context, next mcp.MethodHandler, req *mcp.CallToolRequest) (mcp.Result, error) {
	s, err := g.session(ctx, req, next)
	if err != nil {
		return nil, err
	}
	params, err := json.Marshal(req.Params)
	if err != nil {
		return nil, fmt.Errorf("toolgate: encode tools/call: %w", err)
	}
	id, _ := jsonrpc.MakeID(fmt.Sprintf("toolgate-mw-%d", g.ids.Add(1)))
	resp := g.gate.CallTool(ctx, s, &jsonrpc.Request{ID: id, Method: methodCallTool, Params: params})
	if resp.Error != nil {
		return nil, resp.Error
	}
	var res mcp.CallToolResult
	if err := json.Unmarshal(resp.Result, &res); err != nil {
		return nil, fmt.Errorf("toolgate: decode tools/call result: %w", err)
	}
	return &res, nil
}

func (g *guard) listTools(ctx context.Context, next mcp.MethodHandler, req *mcp.ListToolsRequest) (mcp.Result, error) {
	p, err := g.principal(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("toolgate: %w", err)
	}
	res, err := next(ctx, methodListTools, req)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("toolgate: encode tools/list result: %w", err)
	}
	filtered := g.gate.FilterList(ctx, p, &jsonrpc.Response{Result: raw})
	if filtered.Error != nil {
		return nil, filtered.Error
	}
	var out mcp.ListToolsResult
	if err := json.Unmarshal(filtered.Result, &out); err != nil {
		return nil, fmt.Errorf("toolgate: decode tools/list result: %w", err)
	}
	return &out, nil
}
