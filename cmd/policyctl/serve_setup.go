package main

import (
	"context"
	"io"
	"strings"

	"github.com/rs/zerolog"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/authn"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/httpapi"
	"github.com/toolgate/toolgate/internal/metrics"
	"github.com/toolgate/toolgate/internal/reload"
)

// service is everything serve runs, built before the listener opens so a
// bad setting fails at start.
type service struct {
	engine    *engine.Engine
	reloader  *reload.Reloader // nil for the embedded library
	api       *httpapi.Server
	log       zerolog.Logger
	anonymous bool
	closers   []func()
}

func (s *service) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

func buildService(ctx context.Context, cfg config.Config, policyDir string, st streams) (*service, error) {
	svc := &service{log: newLogger(st.err, cfg.Log.Level)}
	m := metrics.New()
	auth, err := authn.New(cfg)
	if err != nil {
		return nil, exitWith(exitUsage, err)
	}
	svc.anonymous = auth == nil
	if svc.anonymous {
		svc.log.Warn().Msg("NO AUTHENTICATION CONFIGURED: serving loopback only, and the principal of each call " +
			"is whatever the request body claims. Configure auth.tokens or auth.jwt before exposing this server.")
	}
	if err := servePolicies(ctx, svc, cfg, policyDir, m); err != nil {
		return nil, err
	}
	lim, limReady, err := serveLimiter(svc, cfg, m)
	if err != nil {
		svc.close()
		return nil, err
	}
	aud, err := serveAuditor(svc, cfg, m)
	if err != nil {
		svc.close()
		return nil, err
	}
	coord, err := coordinator.New(svc.engine, coordinator.WithLimiter(lim), coordinator.WithAuditor(aud),
		coordinator.WithLimits(cfg.Limits), coordinator.WithLogger(svc.log))
	if err != nil {
		svc.close()
		return nil, exitWith(exitUsage, err)
	}
	opts := []httpapi.Option{
		httpapi.WithLimits(cfg.Limits),
		httpapi.WithBatch(cfg.Server.MaxBatch, cfg.Server.MaxBatchBytes),
		httpapi.WithMetrics(m),
		httpapi.WithLogger(svc.log),
		httpapi.WithReadyCheck("policies", svc.policiesReady),
		httpapi.WithReadyCheck("audit", aud.ready),
	}
	if limReady != nil {
		opts = append(opts, httpapi.WithReadyCheck("redis", limReady))
	}
	if auth != nil {
		opts = append(opts, httpapi.WithAuthenticator(auth))
	}
	if svc.api, err = httpapi.New(coord, svc.engine, opts...); err != nil {
		svc.close()
		return nil, exitWith(exitUsage, err)
	}
	return svc, nil
}

// policiesReady reports the revision in use and, when the last reload was
// refused, why. The last good set keeps serving, so it never fails.
func (s *service) policiesReady(context.Context) (string, error) {
	detail := "revision " + s.engine.Revision()
	if s.reloader == nil {
		return detail + " (embedded)", nil
	}
	st := s.reloader.Status()
	detail += " from " + st.Source
	if st.LastError != "" {
		first, _, _ := strings.Cut(st.LastError, "\n")
		detail += "; last reload refused at " + st.LastAttempt.UTC().Format("2006-01-02T15:04:05Z") +
			" (" + st.LastStage + "): " + first
	}
	return detail, nil
}

func newLogger(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || lvl == zerolog.NoLevel {
		lvl = zerolog.WarnLevel
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Str("component", "serve").Logger()
}
