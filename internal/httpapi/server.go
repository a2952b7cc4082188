// Package httpapi is the HTTP API of policyctl serve: /v1/check,
// /v1/check/batch, /v1/tools, /healthz, /readyz and /metrics (docs/api.md,
// docs/openapi.yaml). It is part of the serve entry point: it depends on the
// coordinator only through the Checker interface and translates refusal
// codes to HTTP statuses in one place (errors.go).
package httpapi

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/rs/zerolog"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/authn"
	"github.com/toolgate/toolgate/internal/metrics"
)

// Checker decides one call; *coordinator.Coordinator implements it.
type Checker interface {
	Check(ctx context.Context, call engine.Call) (engine.Decision, error)
}

// Catalog lists the tools a principal may call; *engine.Engine implements it.
type Catalog interface {
	Tools(ctx context.Context, p engine.Principal) ([]engine.ToolInfo, error)
	Revision() string
}

// ReadyCheck reports whether a dependency is usable. detail is shown in
// /readyz even when err is nil (a failed reload, say, while the last good
// policy set keeps serving).
type ReadyCheck func(ctx context.Context) (detail string, err error)

type namedCheck struct {
	name  string
	check ReadyCheck
}

// Server serves the API. Build it with New; it is safe for concurrent use.
type Server struct {
	checker       Checker
	catalog       Catalog
	auth          authn.Authenticator
	limits        engine.Limits
	maxBatch      int
	maxBatchBytes int
	ready         []namedCheck
	metrics       *metrics.Metrics
	log           zerolog.Logger
	draining      atomic.Bool
}

// Defaults of the server.
const (
	DefaultMaxBatch      = 64
	DefaultMaxBatchBytes = 8 << 20
)

// Option configures a Server.
type Option func(*Server) error

// WithAuthenticator makes every /v1 request authenticate; the principal of
// a call is the authenticated one. Without it the principal is read from
// the request body, and the caller must listen on loopback only.
func WithAuthenticator(a authn.Authenticator) Option {
	return func(s *Server) error { s.auth = a; return nil }
}

// WithLimits bounds call documents (max_call_bytes also bounds /v1/check
// bodies).
func WithLimits(l engine.Limits) Option {
	return func(s *Server) error { s.limits = l; return nil }
}

// WithBatch bounds /v1/check/batch: calls per request and body bytes.
func WithBatch(maxCalls, maxBytes int) Option {
	return func(s *Server) error {
		if maxCalls <= 0 || maxBytes <= 0 {
			return errors.New("httpapi: batch bounds must be positive")
		}
		s.maxBatch, s.maxBatchBytes = maxCalls, maxBytes
		return nil
	}
}

// WithReadyCheck adds a named readiness check to /readyz.
func WithReadyCheck(name string, c ReadyCheck) Option {
	return func(s *Server) error {
		if c == nil {
			return errors.New("httpapi: nil ready check " + name)
		}
		s.ready = append(s.ready, namedCheck{name, c})
		return nil
	}
}

// WithMetrics sets the metrics (default: a fresh set).
func WithMetrics(m *metrics.Metrics) Option {
	return func(s *Server) error {
		if m == nil {
			return errors.New("httpapi: nil metrics")
		}
		s.metrics = m
		return nil
	}
}

// WithLogger sets the operational logger.
func WithLogger(l zerolog.Logger) Option {
	return func(s *Server) error { s.log = l; return nil }
}

// New returns a server deciding with checker and listing tools from catalog.
func New(checker Checker, catalog Catalog, opts ...Option) (*Server, error) {
	if checker == nil || catalog == nil {
		return nil, errors.New("httpapi: checker and catalog are required")
	}
	s := &Server{
		checker:       checker,
		catalog:       catalog,
		maxBatch:      DefaultMaxBatch,
		maxBatchBytes: DefaultMaxBatchBytes,
		log:           zerolog.Nop(),
	}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	if s.metrics == nil {
		s.metrics = metrics.New()
	}
	return s, nil
}

// maxCallBytes bounds a /v1/check body.
func (s *Server) maxCallBytes() int {
	if s.limits.MaxCallBytes > 0 {
		return s.limits.MaxCallBytes
	}
	return engine.DefaultMaxCallBytes
}
