package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"syscall"
	"time"

	"github.com/toolgate/toolgate/internal/authn"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/mcpgate"
)

// serverStopGrace is how long the MCP server gets to exit after its stdin
// closes, and again after SIGTERM, before it is killed (as the MCP spec's
// stdio shutdown describes).
const serverStopGrace = 5 * time.Second

// serveMCPStdio runs the server command and relays the proxy's own stdio
// to it through the gate.
func serveMCPStdio(ctx context.Context, f mcpProxyFlags, gate *mcpgate.Gate, s streams, args []string) error {
	p, err := f.staticPrincipal()
	if err != nil {
		return exitWith(exitUsage, err)
	}
	server := exec.Command(args[0], args[1:]...)
	server.Stderr = s.err
	stdin, err := server.StdinPipe()
	if err != nil {
		return exitWith(exitUsage, err)
	}
	stdout, err := server.StdoutPipe()
	if err != nil {
		return exitWith(exitUsage, err)
	}
	if err := server.Start(); err != nil {
		return exitWith(exitUsage, fmt.Errorf("start the MCP server: %w", err))
	}
	serveErr := gate.ServeStdio(ctx, mcpgate.Stdio{
		Principal: p, ClientIn: s.in, ClientOut: s.out, ServerIn: stdin, ServerOut: stdout,
	})
	waitErr := stopServer(server, stdin)
	switch {
	case errors.Is(serveErr, mcpgate.ErrServerClosed):
		return fmt.Errorf("the MCP server ended the session: %v", waitErr)
	case serveErr != nil && !errors.Is(serveErr, context.Canceled):
		return serveErr
	}
	return nil
}

// stopServer closes the server's stdin, then signals it, then kills it.
func stopServer(server *exec.Cmd, stdin io.Closer) error {
	_ = stdin.Close()
	done := make(chan error, 1)
	go func() { done <- server.Wait() }()
	for _, next := range []func() error{
		func() error { return server.Process.Signal(syscall.SIGTERM) },
		server.Process.Kill,
	} {
		select {
		case err := <-done:
			return err
		case <-time.After(serverStopGrace):
			_ = next()
		}
	}
	return <-done
}

// serveMCPHTTP serves streamable HTTP in front of the upstream endpoint.
func serveMCPHTTP(ctx context.Context, cfg config.Config, f mcpProxyFlags, gate *mcpgate.Gate, s streams) error {
	principal, anonymous, err := mcpPrincipal(cfg, f)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	proxy, err := mcpgate.NewHTTPProxy(gate, f.upstream, principal)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	cfg.Server.Addr = f.listen
	ln, err := listen(cfg, anonymous)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	srv := &http.Server{Handler: proxy, ReadHeaderTimeout: cfg.Server.ReadHeaderTimeout}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), cfg.Server.ShutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	_, _ = fmt.Fprintf(s.out, "policyctl: mcp-proxy listening on %s://%s\n", scheme(cfg), ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return exitWith(exitUsage, err)
	}
	return nil
}

// mcpPrincipal is the authenticated caller when auth is configured, else
// the principal of the flags (and the proxy may only listen on loopback).
func mcpPrincipal(cfg config.Config, f mcpProxyFlags) (mcpgate.PrincipalFunc, bool, error) {
	a, err := authn.New(cfg)
	if err != nil {
		return nil, false, err
	}
	if a != nil {
		return a.Authenticate, false, nil
	}
	p, err := f.staticPrincipal()
	if err != nil {
		return nil, false, err
	}
	return mcpgate.StaticPrincipal(p), true, nil
}
