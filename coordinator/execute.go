package coordinator

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/engine"
)

// Execute checks call and, when allowed, runs tool under the decided limits:
// the timeout bounds the run, the output is capped at max_output_bytes and
// marked truncated, a panic becomes an error. The outcome is audited; if that
// record cannot be written the output is withheld.
func (c *Coordinator) Execute(ctx context.Context, call engine.Call, tool Tool) (Result, error) {
	d, err := c.Check(ctx, call)
	if err != nil {
		return Result{}, err
	}
	if err := c.approve(ctx, call, d); err != nil {
		return Result{}, err
	}
	release, err := c.gate.Acquire(d.Concurrency)
	if err != nil {
		e := refusal(CodeRateLimited, "too many calls in flight", err)
		e.DecisionID = d.ID
		e.RetryAfter = inFlightRetry
		return Result{}, e
	}
	// Deferred, so the slot comes back on every path: error, timeout, and a
	// panic the tool goroutine recovered.
	defer release()
	start := c.now()
	res, runErr := c.run(ctx, tool, Invocation{Call: call, Decision: d})
	res = capOutput(res, d.Sandbox.MaxOutputBytes)
	ev := audit.OutcomeEvent{
		DecisionID:  d.ID,
		Timestamp:   c.now().UTC(),
		Tool:        call.Tool.Name,
		Principal:   call.Principal.ID,
		Duration:    c.now().Sub(start),
		ExitCode:    res.ExitCode,
		OutputBytes: int64(len(res.Output)),
		Truncated:   res.Truncated,
		Killed:      res.Killed,
		Layers:      res.Layers,
	}
	if runErr != nil {
		ev.Err = errorInfo(runErr)
	}
	if err := c.auditor.Outcome(ctx, ev); err != nil {
		c.log.Error().Err(err).Str("decision_id", d.ID).Msg("outcome audit failed; withholding output")
		e := refusal(CodeAuditFailure, "the outcome could not be recorded", err)
		e.DecisionID = d.ID
		return Result{}, e
	}
	return res, runErr
}

func (c *Coordinator) approve(ctx context.Context, call engine.Call, d engine.Decision) error {
	if !d.HasObligation(ObligationApproval) {
		return nil
	}
	deny := func(msg string, cause error) error {
		e := refusal(CodeDenied, msg, cause)
		e.DecisionID = d.ID
		e.Violations = []engine.Violation{{Code: "approval_required", Severity: "high", Message: msg}}
		return e
	}
	if c.approver == nil {
		return deny("the call requires approval and no approver is configured", nil)
	}
	ok, err := c.approver.Approve(ctx, call, d)
	if err != nil {
		return deny("approval failed", err)
	}
	if !ok {
		return deny("approval was refused", nil)
	}
	return nil
}

// run calls the tool under the decided timeout. The tool runs in its own
// goroutine so an in-process tool that ignores its context cannot hold the
// caller past the deadline; a panic is recovered into an error.
func (c *Coordinator) run(ctx context.Context, tool Tool, inv Invocation) (Result, error) {
	if ms := inv.Decision.Sandbox.TimeoutMS; ms > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(ms)*time.Millisecond)
		defer cancel()
	}
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				c.log.Error().Interface("panic", p).Bytes("stack", debug.Stack()).Msg("tool panicked")
				done <- outcome{err: fmt.Errorf("tool %s panicked: %v", inv.Call.Tool.Name, p)}
			}
		}()
		res, err := tool.Run(ctx, inv)
		done <- outcome{res, err}
	}()
	finish := func(o outcome) (Result, error) {
		if o.err != nil && errors.Is(o.err, context.DeadlineExceeded) && o.res.Killed == "" {
			o.res.Killed = "timeout"
		}
		return o.res, o.err
	}
	select {
	case o := <-done:
		return finish(o)
	case <-ctx.Done():
	}
	// A tool that enforces the deadline itself (the sandbox kills the process
	// tree) returns moments later with its partial output and the layers it
	// applied: wait a little for that before giving up on it.
	grace := time.NewTimer(timeoutGrace)
	defer grace.Stop()
	select {
	case o := <-done:
		return finish(o)
	case <-grace.C:
		return Result{Killed: killedReason(ctx)}, fmt.Errorf("tool %s: %w", inv.Call.Tool.Name, ctx.Err())
	}
}

// inFlightRetry is the retry hint for a call refused by a concurrency cap:
// slots free as calls finish, so a short wait is usually enough.
const inFlightRetry = 100 * time.Millisecond

// timeoutGrace is how long Execute waits, after the deadline, for a tool to
// stop by itself.
const timeoutGrace = time.Second

// killedReason tells a deadline from a caller who gave up.
func killedReason(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.Canceled) {
		return "canceled"
	}
	return "timeout"
}

// capOutput enforces max_output_bytes for tools that do not cap themselves.
func capOutput(res Result, max int64) Result {
	if max > 0 && int64(len(res.Output)) > max {
		res.Output = res.Output[:max]
		res.Truncated = true
	}
	return res
}

func errorInfo(err error) *audit.ErrorInfo {
	var e *Error
	if errors.As(err, &e) {
		return &audit.ErrorInfo{Code: string(e.Code), Message: e.Message}
	}
	return &audit.ErrorInfo{Code: "tool_error", Message: err.Error()}
}
