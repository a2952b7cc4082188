package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Timeouts of the HTTP server. Zero fields take the defaults below.
type Timeouts struct {
	ReadHeader time.Duration
	Read       time.Duration
	Write      time.Duration
	Idle       time.Duration
	// Shutdown bounds how long in-flight requests may finish after the
	// context ends.
	Shutdown time.Duration
}

// Default timeouts: a slow client (slowloris) is cut off, a graceful
// shutdown cannot hang forever.
const (
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 10 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultShutdownTimeout   = 20 * time.Second
	// maxHeaderBytes bounds request headers (a JWT fits many times over).
	maxHeaderBytes = 64 << 10
)

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Serve serves on ln until ctx is done. Then /readyz turns 503, the
// listener closes, and in-flight requests get up to t.Shutdown to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, t Timeouts) error {
	t.Read = orDefault(t.Read, DefaultReadTimeout)
	t.Write = orDefault(t.Write, DefaultWriteTimeout)
	srv := NewHTTPServer(ctx, s.Handler(), t)
	return RunHTTPServer(ctx, srv, ln, t.Shutdown, func() {
		s.draining.Store(true)
		s.log.Info().Msg("shutting down: draining in-flight requests")
	})
}

// NewHTTPServer returns the http.Server of a toolgate listener serving h:
// header read timeout, idle timeout (both defaulted when zero) and a bound
// on header size, with request contexts that outlive ctx so in-flight
// requests can drain. t.Read and t.Write are set only when positive: a zero
// value means none, for handlers that stream (SSE) or run long calls, which
// those timeouts would cut off. t.Shutdown is for RunHTTPServer.
func NewHTTPServer(ctx context.Context, h http.Handler, t Timeouts) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: orDefault(t.ReadHeader, DefaultReadHeaderTimeout),
		ReadTimeout:       max(t.Read, 0),
		WriteTimeout:      max(t.Write, 0),
		IdleTimeout:       orDefault(t.Idle, DefaultIdleTimeout),
		MaxHeaderBytes:    maxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
}

// RunHTTPServer serves srv on ln until ctx is done. Then it calls
// beforeShutdown (if not nil), closes the listener and gives in-flight
// requests up to shutdown (DefaultShutdownTimeout when zero) to finish
// before it closes their connections.
func RunHTTPServer(ctx context.Context, srv *http.Server, ln net.Listener, shutdown time.Duration, beforeShutdown func()) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	if beforeShutdown != nil {
		beforeShutdown()
	}
	sctx, cancel := context.WithTimeout(context.Background(), orDefault(shutdown, DefaultShutdownTimeout))
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
