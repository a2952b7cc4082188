package coordinator

import (
	"context"
	"time"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
)

// Decider evaluates the policies for one call.
type Decider interface {
	Decide(ctx context.Context, call engine.Call) (engine.Decision, error)
}

// Limiter takes one token from every rate limit a decision names. It returns
// ok=false and how long to wait when any of them is exhausted.
type Limiter interface {
	Take(ctx context.Context, limits []engine.RateLimit) (ok bool, retryAfter time.Duration, err error)
}

// sourcedLimiter is implemented by limiters that can say where a call's
// tokens were counted (the Redis limiter: "redis" or "local_fallback"). The
// coordinator records it in the audit trail.
type sourcedLimiter interface {
	TakeFrom(ctx context.Context, limits []engine.RateLimit) (ok bool, retryAfter time.Duration, source string, err error)
}

// Gate caps how many calls may run at once. Acquire either admits the call
// under every cap and returns the function that releases it, or refuses.
type Gate interface {
	Acquire(caps []engine.ConcurrencyLimit) (release func(), err error)
}

// Auditor records decisions and outcomes. An error means the record may not
// be durable, and the coordinator then refuses the call.
type Auditor interface {
	Decision(ctx context.Context, ev audit.DecisionEvent) error
	Outcome(ctx context.Context, ev audit.OutcomeEvent) error
}

// Tool runs an allowed call. In-process Go tools use ToolFunc; process tools
// run through the sandbox runner.
type Tool interface {
	Run(ctx context.Context, inv Invocation) (Result, error)
}

// Invocation is what a Tool receives: the call and the decision that allowed
// it, whose Sandbox holds the limits to run under.
type Invocation struct {
	Call     engine.Call
	Decision engine.Decision
}

// Result is what a tool produced.
type Result struct {
	Output    []byte
	ExitCode  int
	Truncated bool
	// Killed names why the runner stopped the tool (timeout, cpu, memory,
	// output, …); empty when it ended by itself.
	Killed string
	// Layers lists the sandbox mechanisms that were applied.
	Layers []string
}

// ToolFunc adapts a Go function to Tool. It runs under the decided timeout;
// its output is capped at the decided max_output_bytes.
type ToolFunc func(ctx context.Context, call engine.Call) ([]byte, error)

// Run implements Tool.
func (f ToolFunc) Run(ctx context.Context, inv Invocation) (Result, error) {
	out, err := f(ctx, inv.Call)
	return Result{Output: out}, err
}

// Approver decides whether a call carrying the require_approval obligation
// may run. Without one, such calls are refused.
type Approver interface {
	Approve(ctx context.Context, call engine.Call, d engine.Decision) (bool, error)
}

// The implementations the coordinator is built with by default.
var (
	_ Auditor = (*audit.Logger)(nil)
	_ Limiter = (*limits.Memory)(nil)
	_ Gate    = (*limits.Concurrency)(nil)
)
