// Package mcpgate puts toolgate between an MCP client and an MCP server.
//
// A Gate is the transport-independent core: every tools/call becomes a call
// document that runs through the coordinator (decision, rate limits, audit,
// timeout, output cap) before it reaches the server, tools/list results are
// filtered to what the principal may call, and tool results pass the
// response policy (secrets redacted or the result withheld) on the way back.
// ServeStdio and HTTPProxy carry MCP's two transports over a Gate; anything
// that is not a tool call or a tool list passes through.
//
// Every failure fails closed: a call that cannot be checked never reaches
// the server, and a result that cannot be checked never reaches the client.
package mcpgate

import (
	"context"
	"errors"

	"github.com/rs/zerolog"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// Executor runs one call through the policies; *coordinator.Coordinator is
// one.
type Executor interface {
	Execute(ctx context.Context, call engine.Call, tool coordinator.Tool) (coordinator.Result, error)
}

// Lister says which of a server's tools a principal may be shown;
// *engine.Engine is one.
type Lister interface {
	VisibleTools(ctx context.Context, p engine.Principal, server string, tools []engine.ListedTool) (map[string]bool, error)
}

// ResponseChecker judges a tool result before the client sees it;
// *engine.Engine is one.
type ResponseChecker interface {
	CheckResponse(ctx context.Context, r engine.ToolResponse) (engine.ResponseDecision, error)
}

var (
	_ Executor        = (*coordinator.Coordinator)(nil)
	_ Lister          = (*engine.Engine)(nil)
	_ ResponseChecker = (*engine.Engine)(nil)
)

// Gate checks the tool traffic of one MCP server. It is safe for concurrent
// use by many sessions.
type Gate struct {
	exec   Executor
	lister Lister
	resp   ResponseChecker
	server string
	limits engine.Limits
	tools  *toolCache
	ids    *internalIDs
	log    zerolog.Logger
}

// Option configures a Gate.
type Option func(*Gate) error

// WithServerName names the server in call documents (input.tool.server).
func WithServerName(name string) Option {
	return func(g *Gate) error { g.server = name; return nil }
}

// WithLister filters tools/list results with l.
func WithLister(l Lister) Option {
	return func(g *Gate) error {
		if l == nil {
			return errors.New("mcpgate: nil lister")
		}
		g.lister = l
		return nil
	}
}

// WithResponseChecker checks tool results with r.
func WithResponseChecker(r ResponseChecker) Option {
	return func(g *Gate) error {
		if r == nil {
			return errors.New("mcpgate: nil response checker")
		}
		g.resp = r
		return nil
	}
}

// WithEngine filters tool lists and checks tool results with e's policies
// (data.toolgate.listing.visible and data.toolgate.response.decision).
func WithEngine(e *engine.Engine) Option {
	return func(g *Gate) error {
		if e == nil {
			return errors.New("mcpgate: nil engine")
		}
		g.lister, g.resp = e, e
		return nil
	}
}

// WithLimits bounds the arguments of tools/call requests as they are decoded
// (size and nesting; zero fields mean the engine defaults). Pass the limits
// the coordinator checks calls with.
func WithLimits(l engine.Limits) Option {
	return func(g *Gate) error { g.limits = l; return nil }
}

// WithLogger sets the operational logger (not the audit trail).
func WithLogger(l zerolog.Logger) Option {
	return func(g *Gate) error { g.log = l; return nil }
}

// New returns a Gate that runs every tool call through exec. Without
// WithLister every tool is listed; without WithResponseChecker results are
// not checked (the coordinator still caps their size).
func New(exec Executor, opts ...Option) (*Gate, error) {
	if exec == nil {
		return nil, errors.New("mcpgate: nil executor")
	}
	g := &Gate{exec: exec, tools: newToolCache(), ids: newInternalIDs(), log: zerolog.Nop()}
	for _, o := range opts {
		if err := o(g); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// ForgetTools drops what the gate learned from tools/list, as a server's
// notifications/tools/list_changed asks.
func (g *Gate) ForgetTools() { g.tools.reset() }
