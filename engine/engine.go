// Package engine compiles toolgate's Rego policies once and evaluates them for
// each tool call: it turns a Call into the input document (facts included),
// evaluates data.toolgate.decision and returns a typed Decision. Any failure
// is an error wrapping ErrPolicy or ErrInvalidInput; it never allows.
package engine

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Engine evaluates the decision policy. It is safe for concurrent use; Load
// swaps the policy set atomically, so a decision sees either the old or the
// new set, never a mix.
type Engine struct {
	cur      atomic.Pointer[prepared]
	cfg      compileConfig
	noCancel topdown.Cancel
	ids      func() string
}

// Option configures an Engine.
type Option func(*Engine) error

// WithSettings overrides top-level keys of data.toolgate.settings.
func WithSettings(s map[string]any) Option {
	return func(e *Engine) error { e.cfg.settings = s; return nil }
}

// WithWorkspace sets input.environment.workspace, the directory file tools
// are confined to. It must be an absolute path.
func WithWorkspace(dir string) Option {
	return func(e *Engine) error {
		if len(dir) == 0 || dir[0] != '/' {
			return fmt.Errorf("workspace %q must be an absolute path", dir)
		}
		e.cfg.workspace = dir
		return nil
	}
}

// WithIDs replaces the decision id generator (tests use a fixed sequence).
func WithIDs(f func() string) Option {
	return func(e *Engine) error { e.ids = f; return nil }
}

// DefaultWorkspace is the workspace when none is configured.
const DefaultWorkspace = "/srv/work"

// New compiles ps and returns an engine ready to decide.
func New(ctx context.Context, ps PolicySet, opts ...Option) (*Engine, error) {
	e := &Engine{
		cfg:      compileConfig{workspace: DefaultWorkspace},
		noCancel: topdown.NewCancel(),
		ids:      NewID,
	}
	for _, o := range opts {
		if err := o(e); err != nil {
			return nil, err
		}
	}
	if err := e.Load(ctx, ps); err != nil {
		return nil, err
	}
	return e, nil
}

// Load compiles ps and, only if that succeeds, makes it the active set.
func (e *Engine) Load(ctx context.Context, ps PolicySet) error {
	p, err := compile(ctx, ps, e.cfg)
	if err != nil {
		return err
	}
	e.cur.Store(p)
	return nil
}

// Revision names the active policy set.
func (e *Engine) Revision() string { return e.cur.Load().revision }

// Workspace is the configured workspace directory.
func (e *Engine) Workspace() string { return e.cfg.workspace }

// Decide evaluates the policies for call.
func (e *Engine) Decide(ctx context.Context, call Call) (Decision, error) {
	if err := ctx.Err(); err != nil {
		return Decision{}, err
	}
	p := e.cur.Load()
	input, err := p.input(call)
	if err != nil {
		return Decision{}, err
	}
	d, err := p.eval(ctx, input, keysFor(call), e.evalOptions(ctx)...)
	if err != nil {
		return Decision{}, err
	}
	d.ID = e.ids()
	return d, nil
}

// evalOptions keeps per-call overhead off the hot path: no metrics, the raw
// result term instead of a Go conversion, and no cancellation goroutine when
// the context can never be cancelled.
func (e *Engine) evalOptions(ctx context.Context) []rego.EvalOption {
	opts := []rego.EvalOption{
		rego.EvalMetrics(metrics.NoOp()),
		rego.EvalGenerateJSON(rawTerm),
	}
	if ctx.Done() == nil {
		opts = append(opts, rego.EvalExternalCancel(e.noCancel))
	}
	return opts
}

func rawTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }

// Input builds the complete input document for call, facts included. It is
// what the policies see; benchmarks use it to time raw OPA evaluation.
func (e *Engine) Input(call Call) (ast.Value, error) {
	return e.cur.Load().input(call)
}

// EvalRaw evaluates a prepared input the way a plain OPA embedding would:
// the prepared query with default options. It exists as a baseline.
func (e *Engine) EvalRaw(ctx context.Context, input ast.Value) (rego.ResultSet, error) {
	return e.cur.Load().query.Eval(ctx, rego.EvalParsedInput(input))
}

func (p *prepared) input(call Call) (ast.Value, error) {
	entry, known := p.catalog[call.Tool.Name]
	if known {
		if err := entry.validateArgs(call.Tool.Arguments); err != nil {
			return nil, err
		}
	}
	return buildInput(call, p.env, entry.marks, p.workspace)
}

func (p *prepared) eval(ctx context.Context, input ast.Value, keys bucketKeys, opts ...rego.EvalOption) (Decision, error) {
	rs, err := p.query.Eval(ctx, append(opts, rego.EvalParsedInput(input))...)
	t, err := singleTerm(rs, err, DecisionQuery)
	if err != nil {
		return Decision{}, err
	}
	d, err := decodeDecision(t, keys)
	if err != nil {
		return Decision{}, err
	}
	d.Revision = p.revision
	return d, nil
}
