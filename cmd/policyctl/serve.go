package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/httpapi"
)

func newServeCmd(s streams) *cobra.Command {
	var addr, policyDir string
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT]",
		Short: "Serve decisions over HTTP: /v1/check, /v1/check/batch, /v1/tools, /healthz, /readyz, /metrics",
		Long: `Serves the configured policies (default: the embedded library) over a JSON HTTP
API (docs/api.md). Without authentication configured (auth.tokens, auth.jwt,
server.tls.client_ca_file) it listens on loopback only and takes the principal
from the request body. Stops gracefully on SIGINT or SIGTERM.
Exit status: 0 stopped cleanly, 2 bad configuration or cannot listen, 3 the
policies do not load, compile or pass their tests.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			if addr != "" {
				cfg.Server.Addr = addr
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, cfg, policyDir, s)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address (default: server.addr, "+config.DefaultServerAddr+")")
	cmd.Flags().StringVar(&policyDir, "policies", "", "policy directory (default: config, else embedded)")
	return cmd
}

func runServe(ctx context.Context, cfg config.Config, policyDir string, s streams) error {
	svc, err := buildService(ctx, cfg, policyDir, s)
	if err != nil {
		return err
	}
	defer svc.close()
	ln, err := listen(cfg, svc.anonymous)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	if svc.reloader != nil && cfg.Policies.Watch {
		go func() {
			if err := svc.reloader.Run(ctx, svc.engine); err != nil {
				svc.log.Error().Err(err).Msg("policy watch stopped; the current set keeps serving")
			}
		}()
	}
	_, _ = fmt.Fprintf(s.out, "policyctl serve: listening on %s://%s (policy revision %s)\n",
		scheme(cfg), ln.Addr(), svc.engine.Revision())
	if err := svc.api.Serve(ctx, ln, timeouts(cfg.Server)); err != nil {
		return exitWith(exitUsage, err)
	}
	return nil
}

// listen opens the listener. Without authentication only loopback is
// allowed, checked on the address asked for and on the one obtained.
func listen(cfg config.Config, anonymous bool) (net.Listener, error) {
	if anonymous && !httpapi.IsLoopback(cfg.Server.Addr) {
		return nil, fmt.Errorf("refusing to listen on %s without authentication: configure auth.tokens, "+
			"auth.jwt or server.tls.client_ca_file, or listen on loopback (127.0.0.1, ::1)", cfg.Server.Addr)
	}
	ln, err := net.Listen("tcp", cfg.Server.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	if anonymous && !httpapi.IsLoopback(ln.Addr().String()) {
		_ = ln.Close()
		return nil, errors.New("refusing to serve without authentication: " + ln.Addr().String() + " is not loopback")
	}
	tc, err := tlsConfig(cfg.Server.TLS)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	if tc != nil {
		return tls.NewListener(ln, tc), nil
	}
	return ln, nil
}

func timeouts(s config.Server) httpapi.Timeouts {
	return httpapi.Timeouts{
		ReadHeader: s.ReadHeaderTimeout, Read: s.ReadTimeout, Write: s.WriteTimeout,
		Idle: s.IdleTimeout, Shutdown: s.ShutdownTimeout,
	}
}

func scheme(cfg config.Config) string {
	if cfg.Server.TLS.CertFile != "" {
		return "https"
	}
	return "http"
}
