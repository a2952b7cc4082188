package coordinator_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

func echoTool(out string) coordinator.ToolFunc {
	return func(context.Context, engine.Call) ([]byte, error) { return []byte(out), nil }
}

func TestExecuteCapsOutputAndAuditsOutcome(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newCoord(t, fakeDecider{d: allowDecision()}, coordinator.WithAuditor(rec))
	res, err := c.Execute(context.Background(), testCall(), echoTool("0123456789abcdef"))
	require.NoError(t, err)
	assert.Equal(t, "01234567", string(res.Output))
	assert.True(t, res.Truncated)
	require.Len(t, rec.outcomes, 1)
	assert.Equal(t, "d-1", rec.outcomes[0].DecisionID)
	assert.Equal(t, int64(8), rec.outcomes[0].OutputBytes)
	assert.True(t, rec.outcomes[0].Truncated)
}

func TestExecuteTimeoutStopsWaiting(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newCoord(t, fakeDecider{d: allowDecision()}, coordinator.WithAuditor(rec))
	release := make(chan struct{})
	defer close(release)
	stuck := coordinator.ToolFunc(func(context.Context, engine.Call) ([]byte, error) {
		<-release // ignores its context on purpose
		return nil, nil
	})
	start := time.Now()
	res, err := c.Execute(context.Background(), testCall(), stuck)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, "timeout", res.Killed)
	require.Len(t, rec.outcomes, 1)
	assert.Equal(t, "timeout", rec.outcomes[0].Killed)
}

func TestExecuteRecoversPanics(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newCoord(t, fakeDecider{d: allowDecision()}, coordinator.WithAuditor(rec))
	_, err := c.Execute(context.Background(), testCall(), coordinator.ToolFunc(func(context.Context, engine.Call) ([]byte, error) {
		panic("boom")
	}))
	require.ErrorContains(t, err, "panicked: boom")
	require.Len(t, rec.outcomes, 1)
	assert.Equal(t, "tool_error", rec.outcomes[0].Err.Code)
}

func TestExecuteWithholdsOutputWhenOutcomeAuditFails(t *testing.T) {
	t.Parallel()
	rec := &recorder{failOutcome: true}
	c := newCoord(t, fakeDecider{d: allowDecision()}, coordinator.WithAuditor(rec))
	res, err := c.Execute(context.Background(), testCall(), echoTool("secret output"))
	require.ErrorIs(t, err, coordinator.ErrAuditFailure)
	assert.Empty(t, res.Output)
}

type approver struct{ ok bool }

func (a approver) Approve(context.Context, engine.Call, engine.Decision) (bool, error) {
	return a.ok, nil
}

func TestApprovalObligation(t *testing.T) {
	t.Parallel()
	d := allowDecision()
	d.Obligations = []string{coordinator.ObligationApproval}
	cases := map[string]struct {
		opts []coordinator.Option
		runs bool
	}{
		"no approver": {nil, false},
		"refused":     {[]coordinator.Option{coordinator.WithApprover(approver{false})}, false},
		"approved":    {[]coordinator.Option{coordinator.WithApprover(approver{true})}, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCoord(t, fakeDecider{d: d}, tc.opts...)
			_, err := c.Execute(context.Background(), testCall(), echoTool("ok"))
			if tc.runs {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, coordinator.ErrDenied)
			var ce *coordinator.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "approval_required", ce.Violations[0].Code)
		})
	}
}

func TestExecuteConcurrencyCap(t *testing.T) {
	t.Parallel()
	c := newCoord(t, fakeDecider{d: oneAtATime()})
	started, release := make(chan struct{}), make(chan struct{})
	go func() {
		_, _ = c.Execute(context.Background(), testCall(), coordinator.ToolFunc(func(context.Context, engine.Call) ([]byte, error) {
			close(started)
			<-release
			return nil, nil
		}))
	}()
	<-started
	_, err := c.Execute(context.Background(), testCall(), echoTool("x"))
	require.ErrorIs(t, err, coordinator.ErrRateLimited, "the second call waits for the first")
	close(release)
	require.Eventually(t, func() bool {
		_, err := c.Execute(context.Background(), testCall(), echoTool("x"))
		return err == nil
	}, 5*time.Second, 10*time.Millisecond, "the slot comes back when the first call ends")

	// A panicking tool gives its slot back too.
	_, err = c.Execute(context.Background(), testCall(), coordinator.ToolFunc(func(context.Context, engine.Call) ([]byte, error) {
		panic("boom")
	}))
	require.Error(t, err)
	_, err = c.Execute(context.Background(), testCall(), echoTool("x"))
	require.NoError(t, err)
}

// A tool that ignores its context is given up on at the timeout, and its
// concurrency slot comes back then, not when the tool finally returns.
func TestExecuteTimeoutReleasesConcurrencySlot(t *testing.T) {
	t.Parallel()
	c := newCoord(t, fakeDecider{d: oneAtATime()})
	release := make(chan struct{})
	defer close(release)
	stuck := coordinator.ToolFunc(func(context.Context, engine.Call) ([]byte, error) {
		<-release // ignores its context on purpose
		return nil, nil
	})
	res, err := c.Execute(context.Background(), testCall(), stuck)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, "timeout", res.Killed)
	// The stuck tool is still running: only the timeout path released.
	res, err = c.Execute(context.Background(), testCall(), echoTool("ok"))
	require.NoError(t, err, "the slot was released on the timeout path")
	assert.Equal(t, "ok", string(res.Output))
}

// oneAtATime is an allowing decision with no rate limit and a concurrency
// cap of one call per principal.
func oneAtATime() engine.Decision {
	d := allowDecision()
	d.RateLimits = nil
	d.Concurrency = []engine.ConcurrencyLimit{{Key: "principal:alice", Limit: 1}}
	return d
}
