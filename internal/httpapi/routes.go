package httpapi

import (
	"context"
	"net/http"
	"runtime/debug"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/authn"
)

// Routes of the API.
const (
	routeCheck   = "/v1/check"
	routeBatch   = "/v1/check/batch"
	routeTools   = "/v1/tools"
	routeHealth  = "/healthz"
	routeReady   = "/readyz"
	routeMetrics = "/metrics"
)

// Handler returns the API's handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(routeCheck, s.wrap(routeCheck, http.MethodPost, true, s.handleCheck))
	mux.Handle(routeBatch, s.wrap(routeBatch, http.MethodPost, true, s.handleBatch))
	mux.Handle(routeTools, s.wrap(routeTools, http.MethodGet, true, s.handleTools))
	mux.Handle(routeHealth, s.wrap(routeHealth, http.MethodGet, false, s.handleHealth))
	mux.Handle(routeReady, s.wrap(routeReady, http.MethodGet, false, s.handleReady))
	mux.Handle(routeMetrics, s.wrap(routeMetrics, http.MethodGet, false, s.metrics.Handler().ServeHTTP))
	mux.Handle("/", s.wrap("other", "", false, func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errNotFound())
	}))
	return mux
}

type principalKey struct{}

// principalFrom returns the authenticated principal of the request.
func principalFrom(ctx context.Context) (engine.Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(engine.Principal)
	return p, ok
}

// wrap adds to h, in order: metrics, panic recovery, the method check and
// (for /v1) authentication.
func (s *Server) wrap(route, method string, authenticate bool, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.InFlight(1)
		defer func() {
			if p := recover(); p != nil {
				s.log.Error().Interface("panic", p).Bytes("stack", debug.Stack()).Str("route", route).Msg("handler panicked")
				if sw.status == 0 {
					writeError(sw, errInternal())
				}
			}
			s.metrics.InFlight(-1)
			s.metrics.Request(route, sw.code())
		}()
		if method != "" && r.Method != method {
			sw.Header().Set("Allow", method)
			writeError(sw, errMethod(method))
			return
		}
		if authenticate && s.auth != nil {
			p, err := s.auth.Authenticate(r)
			if err != nil {
				s.authFailed(sw, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
		}
		h(sw, r)
	})
}

func (s *Server) authFailed(w http.ResponseWriter, err error) {
	reason := authn.ReasonMalformed
	if ae, ok := err.(*authn.Error); ok {
		reason = ae.Reason
	}
	s.metrics.AuthFailure(reason)
	s.log.Debug().Err(err).Msg("authentication failed")
	w.Header().Set("WWW-Authenticate", `Bearer realm="toolgate"`)
	writeError(w, errUnauthenticated())
}

// statusWriter remembers the status for metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
