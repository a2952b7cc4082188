package coordinator_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
)

// fakeDecider returns a fixed decision or error (a unit-test double; the
// integration and security suites use the real engine).
type fakeDecider struct {
	d   engine.Decision
	err error
}

func (f fakeDecider) Decide(context.Context, engine.Call) (engine.Decision, error) {
	return f.d, f.err
}

// recorder is an Auditor that keeps events and can be told to fail.
type recorder struct {
	mu          sync.Mutex
	decisions   []audit.DecisionEvent
	outcomes    []audit.OutcomeEvent
	failDecide  bool
	failOutcome bool
}

func (r *recorder) Decision(_ context.Context, ev audit.DecisionEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failDecide {
		return errors.New("disk full")
	}
	r.decisions = append(r.decisions, ev)
	return nil
}

func (r *recorder) Outcome(_ context.Context, ev audit.OutcomeEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failOutcome {
		return errors.New("disk full")
	}
	r.outcomes = append(r.outcomes, ev)
	return nil
}

func allowDecision() engine.Decision {
	return engine.Decision{
		ID: "d-1", Allow: true,
		Sandbox:    engine.Sandbox{TimeoutMS: 200, MaxOutputBytes: 8, Network: engine.NetworkNone},
		RateLimits: []engine.RateLimit{{Key: "principal:alice", Limit: 2, Per: "1h"}},
	}
}

func testCall() engine.Call {
	return engine.Call{
		Tool:      engine.Tool{Name: "fs.read_file", Arguments: map[string]any{"path": "a"}},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}},
	}
}

func newCoord(t *testing.T, d coordinator.Decider, opts ...coordinator.Option) *coordinator.Coordinator {
	t.Helper()
	c, err := coordinator.New(d, opts...)
	require.NoError(t, err)
	return c
}

func TestCheckAllowsAndAuditsFirst(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newCoord(t, fakeDecider{d: allowDecision()}, coordinator.WithAuditor(rec))
	d, err := c.Check(context.Background(), testCall())
	require.NoError(t, err)
	assert.True(t, d.Allow)
	require.Len(t, rec.decisions, 1)
	assert.Equal(t, "d-1", rec.decisions[0].DecisionID)
	assert.Nil(t, rec.decisions[0].Err)
	assert.False(t, rec.decisions[0].Timestamp.IsZero())
}

func TestCheckRefusals(t *testing.T) {
	t.Parallel()
	denied := engine.Decision{ID: "d-2", Violations: []engine.Violation{{Code: "path_traversal"}}}
	cases := map[string]struct {
		dec  fakeDecider
		call engine.Call
		want *coordinator.Error
	}{
		"denied":            {fakeDecider{d: denied}, testCall(), coordinator.ErrDenied},
		"policy error":      {fakeDecider{err: engine.ErrPolicy}, testCall(), coordinator.ErrPolicyError},
		"engine input":      {fakeDecider{err: engine.ErrInvalidInput}, testCall(), coordinator.ErrInvalidInput},
		"bounded call":      {fakeDecider{d: allowDecision()}, engine.Call{Tool: engine.Tool{Name: ""}}, coordinator.ErrInvalidInput},
		"bad rate limit":    {fakeDecider{d: withLimit(engine.RateLimit{Key: "k", Limit: 1, Per: "soon"})}, testCall(), coordinator.ErrRateLimited},
		"allow and refused": {fakeDecider{d: allowDecision(), err: engine.ErrPolicy}, testCall(), coordinator.ErrPolicyError},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newCoord(t, tc.dec, coordinator.WithAuditor(rec))
			_, err := c.Check(context.Background(), tc.call)
			require.ErrorIs(t, err, tc.want)
			var ce *coordinator.Error
			require.ErrorAs(t, err, &ce)
			assert.NotEmpty(t, ce.DecisionID, "every refusal names its decision")
			require.Len(t, rec.decisions, 1, "refusals are audited too")
			require.NotNil(t, rec.decisions[0].Err)
			assert.Equal(t, string(tc.want.Code), rec.decisions[0].Err.Code)
		})
	}
}

func withLimit(rl engine.RateLimit) engine.Decision {
	d := allowDecision()
	d.RateLimits = []engine.RateLimit{rl}
	return d
}

func TestRateLimitedWithRetryAfter(t *testing.T) {
	t.Parallel()
	c := newCoord(t, fakeDecider{d: allowDecision()})
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		_, err := c.Check(ctx, testCall())
		require.NoError(t, err)
	}
	_, err := c.Check(ctx, testCall())
	require.ErrorIs(t, err, coordinator.ErrRateLimited)
	var ce *coordinator.Error
	require.ErrorAs(t, err, &ce)
	assert.Greater(t, ce.RetryAfter, 59*time.Minute)
}

func TestAuditFailureRefuses(t *testing.T) {
	t.Parallel()
	rec := &recorder{failDecide: true}
	c := newCoord(t, fakeDecider{d: allowDecision()}, coordinator.WithAuditor(rec))
	ran := false
	_, err := c.Execute(context.Background(), testCall(), coordinator.ToolFunc(func(context.Context, engine.Call) ([]byte, error) {
		ran = true
		return nil, nil
	}))
	require.ErrorIs(t, err, coordinator.ErrAuditFailure)
	assert.False(t, ran, "a call whose decision was not recorded must not run")
}

func TestErrorFormatting(t *testing.T) {
	t.Parallel()
	e := &coordinator.Error{Code: coordinator.CodeDenied, Message: "no", Violations: []engine.Violation{{Code: "a"}, {Code: "b"}}}
	assert.Equal(t, "denied: no [a, b]", e.Error())
	assert.False(t, errors.Is(e, coordinator.ErrRateLimited))
	cause := errors.New("root")
	assert.ErrorIs(t, &coordinator.Error{Code: coordinator.CodePolicyError, Err: cause}, cause)
}

func TestNewValidatesOptions(t *testing.T) {
	t.Parallel()
	_, err := coordinator.New(nil)
	require.Error(t, err)
	_, err = coordinator.New(fakeDecider{}, coordinator.WithAuditor(nil))
	require.Error(t, err)
	_, err = coordinator.New(fakeDecider{}, coordinator.WithLimiter(nil))
	require.Error(t, err)
}

// sourced is a limiter that reports where it counted, like limits.Redis.
type sourced struct{ source string }

func (s sourced) Take(context.Context, []engine.RateLimit) (bool, time.Duration, error) {
	return true, 0, nil
}

func (s sourced) TakeFrom(context.Context, []engine.RateLimit) (bool, time.Duration, string, error) {
	return true, 0, s.source, nil
}

func TestCheckAuditsWhereTokensWereCounted(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newCoord(t, fakeDecider{d: allowDecision()}, coordinator.WithAuditor(rec), coordinator.WithLimiter(sourced{"local_fallback"}))
	_, err := c.Check(context.Background(), testCall())
	require.NoError(t, err)
	require.Len(t, rec.decisions, 1)
	assert.Equal(t, "local_fallback", rec.decisions[0].Limiter)
}

// The options a server sets: bounds, logger, clock, gate.
func TestOptionsApply(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	fixed := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	var logged bytes.Buffer
	c := newCoord(t, fakeDecider{err: engine.ErrPolicy},
		coordinator.WithAuditor(rec),
		coordinator.WithLimits(engine.Limits{MaxNameBytes: 4}),
		coordinator.WithLogger(zerolog.New(&logged)),
		coordinator.WithClock(func() time.Time { return fixed }),
		coordinator.WithGate(limits.NewConcurrency()))
	_, err := c.Check(context.Background(), testCall())
	require.ErrorIs(t, err, coordinator.ErrInvalidInput, "fs.read_file is longer than 4 bytes")

	c = newCoord(t, fakeDecider{err: engine.ErrPolicy}, coordinator.WithAuditor(rec),
		coordinator.WithLogger(zerolog.New(&logged)), coordinator.WithClock(func() time.Time { return fixed }))
	_, err = c.Check(context.Background(), testCall())
	require.ErrorIs(t, err, coordinator.ErrPolicyError)
	assert.Contains(t, logged.String(), "policy evaluation failed")
	assert.Equal(t, fixed, rec.decisions[len(rec.decisions)-1].Timestamp)
	_, err = coordinator.New(fakeDecider{}, coordinator.WithGate(nil))
	require.Error(t, err)
}

// A caller that gives up is told apart from a deadline.
func TestExecuteCallerCancel(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	d := allowDecision()
	d.Sandbox.TimeoutMS = 0
	c := newCoord(t, fakeDecider{d: d}, coordinator.WithAuditor(rec))
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	defer close(release)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	res, err := c.Execute(ctx, testCall(), coordinator.ToolFunc(func(context.Context, engine.Call) ([]byte, error) {
		<-release
		return nil, nil
	}))
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "canceled", res.Killed)
}

func TestToolErrorsAreAuditedWithTheirCode(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newCoord(t, fakeDecider{d: allowDecision()}, coordinator.WithAuditor(rec))
	_, err := c.Execute(context.Background(), testCall(), coordinator.ToolFunc(func(context.Context, engine.Call) ([]byte, error) {
		return nil, &coordinator.Error{Code: coordinator.CodeSandboxViolation, Message: "no landlock"}
	}))
	require.ErrorIs(t, err, coordinator.ErrSandboxViolation)
	require.Len(t, rec.outcomes, 1)
	assert.Equal(t, "sandbox_violation", rec.outcomes[0].Err.Code)
}
