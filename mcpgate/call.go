package mcpgate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// Forward sends one request to the server and returns its response.
type Forward func(ctx context.Context, req *jsonrpc.Request) (*jsonrpc.Response, error)

// Session is one client's connection through a gate: who calls, and how the
// gate reaches the server for that client.
type Session struct {
	Principal engine.Principal
	// ID is the MCP session id, if the transport has one.
	ID string
	// Agent is the client's name from initialize (clientInfo.name).
	Agent   string
	Forward Forward
}

// sourceMCP is input.request.source for calls that came over MCP.
const sourceMCP = "mcp"

// CallTool checks a tools/call request and, if the policies allow it,
// forwards it through s and checks the result. It always returns the
// response to give the client: the server's (possibly redacted) result, a
// refusal result naming the violation codes, or a JSON-RPC error.
func (g *Gate) CallTool(ctx context.Context, s Session, req *jsonrpc.Request) *jsonrpc.Response {
	params, err := parseCallParams(req.Params, g.limits)
	if err != nil {
		return errorResponse(req.ID, jsonrpc.CodeInvalidParams, err.Error())
	}
	call := g.callDocument(s, req.ID, params)
	info, err := g.lookup(ctx, s, params.name)
	if err == nil {
		err = info.validate(params.args)
	}
	if err != nil {
		return refusalResponse(req.ID, &coordinator.Error{Code: coordinator.CodeInvalidInput, Message: err.Error()})
	}
	call.Tool.Annotations = info.annotations
	tool := forwardTool{forward: s.Forward, id: req.ID, params: params}
	res, err := g.exec.Execute(ctx, call, tool)
	return g.finish(ctx, req.ID, call, res, err)
}

func (g *Gate) callDocument(s Session, id jsonrpc.ID, p callParams) engine.Call {
	call := engine.Call{
		Tool:      engine.Tool{Name: p.name, Server: g.server, Arguments: p.args},
		Principal: s.Principal,
		Request: &engine.Request{
			ID:     fmt.Sprint(id.Raw()),
			Time:   time.Now().UTC().Format(time.RFC3339Nano),
			Source: sourceMCP,
		},
	}
	if call.Tool.Arguments == nil {
		call.Tool.Arguments = map[string]any{}
	}
	if s.ID != "" || s.Agent != "" {
		call.Session = &engine.Session{ID: s.ID, Agent: s.Agent}
	}
	return call
}

// forwardTool is the coordinator.Tool that runs an allowed call: it sends
// the re-encoded request to the server. The output is the raw result.
type forwardTool struct {
	forward Forward
	id      jsonrpc.ID
	params  callParams
}

// serverError carries a JSON-RPC error response of the server, which the
// client gets after the response policy has checked it (checkedServerError).
type serverError struct{ resp *jsonrpc.Response }

func (e *serverError) Error() string { return "server: " + e.resp.Error.Error() }

func (t forwardTool) Run(ctx context.Context, _ coordinator.Invocation) (coordinator.Result, error) {
	raw, err := t.params.encode()
	if err != nil {
		return coordinator.Result{}, fmt.Errorf("encode tools/call: %w", err)
	}
	resp, err := t.forward(ctx, &jsonrpc.Request{ID: t.id, Method: methodCallTool, Params: raw})
	if err != nil {
		return coordinator.Result{}, fmt.Errorf("forward tools/call: %w", err)
	}
	if resp.Error != nil {
		return coordinator.Result{}, &serverError{resp: resp}
	}
	return coordinator.Result{Output: resp.Result}, nil
}

// finish turns the outcome of Execute into the client's response.
func (g *Gate) finish(ctx context.Context, id jsonrpc.ID, call engine.Call, res coordinator.Result, err error) *jsonrpc.Response {
	var refused *coordinator.Error
	var srvErr *serverError
	switch {
	case errors.As(err, &refused):
		return refusalResponse(id, refused)
	case errors.As(err, &srvErr):
		return g.checkedServerError(ctx, id, call, srvErr.resp.Error)
	case err != nil && res.Killed != "":
		return refusalResponse(id, &coordinator.Error{
			Code:    coordinator.CodeSandboxViolation,
			Message: "toolgate stopped the call: " + res.Killed,
		})
	case err != nil:
		g.log.Error().Err(err).Str("tool", call.Tool.Name).Msg("tools/call failed")
		return errorResponse(id, jsonrpc.CodeInternalError, "toolgate: the server could not complete the call")
	case res.Truncated:
		return refusalResponse(id, &coordinator.Error{
			Code:    coordinator.CodeSandboxViolation,
			Message: fmt.Sprintf("the tool result is larger than the %d bytes the policy allows", len(res.Output)),
		})
	}
	out, err := g.CheckResult(ctx, call, json.RawMessage(res.Output))
	if err != nil {
		return refusalResponse(id, coordinator.ErrorOf(err))
	}
	return &jsonrpc.Response{ID: id, Result: out}
}
