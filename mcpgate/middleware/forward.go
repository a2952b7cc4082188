package middleware

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolgate/toolgate/mcpgate"
)

// session is the gate's view of one request: who calls, and how to reach
// the server's own handlers (next) for the call and for listing its tools.
func (g *guard) session(ctx context.Context, req *mcp.CallToolRequest, next mcp.MethodHandler) (mcpgate.Session, error) {
	p, err := g.principal(ctx, req)
	if err != nil {
		return mcpgate.Session{}, fmt.Errorf("toolgate: %w", err)
	}
	s := mcpgate.Session{Principal: p, Forward: forwarder(req, next)}
	if req.Session != nil {
		s.ID = req.Session.ID()
		if ip := req.Session.InitializeParams(); ip != nil && ip.ClientInfo != nil {
			s.Agent = ip.ClientInfo.Name
		}
	}
	return s, nil
}

// forwarder runs the gate's requests on the server's handlers, in process.
func forwarder(orig *mcp.CallToolRequest, next mcp.MethodHandler) mcpgate.Forward {
	return func(ctx context.Context, r *jsonrpc.Request) (*jsonrpc.Response, error) {
		var inner mcp.Request
		switch r.Method {
		case methodCallTool:
			var p mcp.CallToolParamsRaw
			if err := json.Unmarshal(r.Params, &p); err != nil {
				return nil, err
			}
			inner = &mcp.CallToolRequest{Session: orig.Session, Params: &p, Extra: orig.Extra}
		case methodListTools:
			var p mcp.ListToolsParams
			if err := json.Unmarshal(r.Params, &p); err != nil {
				return nil, err
			}
			inner = &mcp.ListToolsRequest{Session: orig.Session, Params: &p, Extra: orig.Extra}
		default:
			return nil, fmt.Errorf("toolgate: unexpected method %q", r.Method)
		}
		res, err := next(ctx, r.Method, inner)
		if err != nil {
			return &jsonrpc.Response{ID: r.ID, Error: asWireError(err)}, nil
		}
		raw, err := json.Marshal(res)
		if err != nil {
			return nil, err
		}
		return &jsonrpc.Response{ID: r.ID, Result: raw}, nil
	}
}

func asWireError(err error) *jsonrpc.Error {
	var we *jsonrpc.Error
	if errors.As(err, &we) {
		return we
	}
	return &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: err.Error()}
}
