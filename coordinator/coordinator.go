// Package coordinator enforces toolgate decisions: Check bounds the call,
// asks the policies, takes rate-limit tokens and audits the decision before
// anything runs; Execute then runs the tool inside the decided limits and
// audits the outcome. Every failure refuses the call (fail closed).
package coordinator

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
)

// ObligationApproval is the obligation that makes Execute ask the Approver.
const ObligationApproval = "require_approval"

// Coordinator is safe for concurrent use.
type Coordinator struct {
	decider  Decider
	limiter  Limiter
	sourced  sourcedLimiter // limiter, when it says where it counted
	gate     Gate
	auditor  Auditor
	approver Approver
	limits   engine.Limits
	log      zerolog.Logger
	now      func() time.Time
}

// New returns a coordinator deciding with d. Defaults: an in-memory rate
// limiter, no audit log, no approver, the engine's default input limits.
func New(d Decider, opts ...Option) (*Coordinator, error) {
	if d == nil {
		return nil, errors.New("coordinator: nil decider")
	}
	c := &Coordinator{
		decider: d,
		auditor: audit.Nop(),
		log:     zerolog.Nop(),
		now:     time.Now,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.limiter == nil {
		c.limiter = limits.NewMemory()
	}
	c.sourced, _ = c.limiter.(sourcedLimiter)
	if c.gate == nil {
		c.gate = limits.NewConcurrency()
	}
	return c, nil
}

// Check decides whether call may run. It returns the decision, or a *Error
// whose Code says why not. A nil error means the call is allowed, its rate
// limit tokens are taken and its decision event is durably recorded.
func (c *Coordinator) Check(ctx context.Context, call engine.Call) (engine.Decision, error) {
	start := c.now()
	d, refused := c.decide(ctx, call)
	if d.ID == "" {
		d.ID = engine.NewID() // refused before the engine named the decision
	}
	var counted string
	if refused == nil {
		counted, refused = c.throttle(ctx, d)
	}
	ev := audit.DecisionEvent{
		DecisionID: d.ID,
		Timestamp:  start.UTC(),
		Call:       call,
		Decision:   d,
		Latency:    c.now().Sub(start),
		Limiter:    counted,
	}
	if refused != nil {
		refused.DecisionID = d.ID
		ev.Err = &audit.ErrorInfo{Code: string(refused.Code), Message: refused.Message}
	}
	if err := c.auditor.Decision(ctx, ev); err != nil {
		c.log.Error().Err(err).Str("decision_id", d.ID).Msg("audit write failed; refusing the call")
		e := refusal(CodeAuditFailure, "the decision could not be recorded", err)
		e.DecisionID = d.ID
		return d, e
	}
	if refused != nil {
		return d, refused
	}
	return d, nil
}

// decide runs steps 1–3: bound the call, evaluate, read the verdict.
func (c *Coordinator) decide(ctx context.Context, call engine.Call) (engine.Decision, *Error) {
	if err := engine.ValidateCall(call, c.limits); err != nil {
		return engine.Decision{}, refusal(CodeInvalidInput, err.Error(), err)
	}
	d, err := c.decider.Decide(ctx, call)
	switch {
	case err == nil:
	case errors.Is(err, engine.ErrInvalidInput):
		return d, refusal(CodeInvalidInput, err.Error(), err)
	case ctx.Err() != nil:
		return d, refusal(CodePolicyError, "decision abandoned: "+ctx.Err().Error(), err)
	default:
		c.log.Error().Err(err).Str("tool", call.Tool.Name).Msg("policy evaluation failed; denying")
		return d, refusal(CodePolicyError, err.Error(), err)
	}
	if !d.Allow {
		e := refusal(CodeDenied, "the policy denied the call", nil)
		e.Violations = d.Violations
		return d, e
	}
	return d, nil
}

// throttle is step 4. It returns where the tokens were counted, when the
// limiter says. A limiter that cannot answer refuses the call: a rate limit
// that silently stops limiting is a fail-open.
func (c *Coordinator) throttle(ctx context.Context, d engine.Decision) (string, *Error) {
	if len(d.RateLimits) == 0 {
		return "", nil
	}
	var (
		ok      bool
		retry   time.Duration
		counted string
		err     error
	)
	if c.sourced != nil {
		ok, retry, counted, err = c.sourced.TakeFrom(ctx, d.RateLimits)
	} else {
		ok, retry, err = c.limiter.Take(ctx, d.RateLimits)
	}
	if err != nil {
		c.log.Error().Err(err).Msg("rate limiter failed; refusing the call")
		e := refusal(CodeRateLimited, "rate limiter unavailable", err)
		e.RetryAfter = time.Second
		return counted, e
	}
	if !ok {
		e := refusal(CodeRateLimited, "rate limit exceeded", nil)
		e.RetryAfter = retry
		return counted, e
	}
	return counted, nil
}
