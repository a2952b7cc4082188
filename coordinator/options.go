package coordinator

import (
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/toolgate/toolgate/engine"
)

// Option configures a Coordinator. Options that can be wrong return an error
// so a bad setting fails at construction, not on the first call.
type Option func(*Coordinator) error

// WithLimiter sets the rate limiter (default: an in-memory limiter).
func WithLimiter(l Limiter) Option {
	return func(c *Coordinator) error {
		if l == nil {
			return errors.New("coordinator: nil limiter")
		}
		c.limiter = l
		return nil
	}
}

// WithGate sets the concurrency gate (default: an in-memory gate).
func WithGate(g Gate) Option {
	return func(c *Coordinator) error {
		if g == nil {
			return errors.New("coordinator: nil gate")
		}
		c.gate = g
		return nil
	}
}

// WithAuditor sets the audit log (default: none).
func WithAuditor(a Auditor) Option {
	return func(c *Coordinator) error {
		if a == nil {
			return errors.New("coordinator: nil auditor")
		}
		c.auditor = a
		return nil
	}
}

// WithApprover sets who approves calls carrying require_approval. Without an
// approver those calls are refused by Execute.
func WithApprover(a Approver) Option {
	return func(c *Coordinator) error { c.approver = a; return nil }
}

// WithLimits bounds every call (sizes, depth, string lengths).
func WithLimits(l engine.Limits) Option {
	return func(c *Coordinator) error { c.limits = l; return nil }
}

// WithLogger sets the operational logger (not the audit trail).
func WithLogger(l zerolog.Logger) Option {
	return func(c *Coordinator) error { c.log = l; return nil }
}

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option {
	return func(c *Coordinator) error { c.now = now; return nil }
}
