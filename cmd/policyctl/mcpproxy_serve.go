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
	"github.com/toolgate/toolgate/internal/httpapi"
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
// The server is policyctl serve's (header, idle and header-size bounds,
// graceful shutdown) without read and write timeouts: event streams and
// long tool calls outlive them.
func serveMCPHTTP(ctx context.Context, cfg config.Config, f mcpProxyFlags, gate *mcpgate.Gate, s streams) error {
	principal, anonymous, err := mcpPrincipal(cfg, f)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	var opts []mcpgate.HTTPOption
	if n := cfg.Limits.MaxCallBytes; n > 0 {
		opts = append(opts, mcpgate.WithMaxBodyBytes(int64(n)))
	}
	proxy, err := mcpgate.NewHTTPProxy(gate, f.upstream, principal, opts...)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	cfg.Server.Addr = f.listen
	ln, err := listen(cfg, anonymous)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	t := timeouts(cfg.Server)
	t.Read, t.Write = 0, 0
	handler, stopStreams := endStreamsOnShutdown(proxy)
	srv := httpapi.NewHTTPServer(ctx, handler, t)
	srv.RegisterOnShutdown(stopStreams)
	_, _ = fmt.Fprintf(s.out, "policyctl: mcp-proxy listening on %s://%s\n", scheme(cfg), ln.Addr())
	return httpapi.RunHTTPServer(ctx, srv, ln, t.Shutdown, nil)
}

// endStreamsOnShutdown ends the GET event streams relayed through h when
// stop is called: they never finish on their own, and a graceful shutdown
// would wait for them until its timeout. Tool calls in flight (POSTs) still
// get to finish.
func endStreamsOnShutdown(h http.Handler) (http.Handler, func()) {
	streams, stop := context.WithCancel(context.Background())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			ctx, cancel := context.WithCancel(r.Context())
			defer cancel()
			defer context.AfterFunc(streams, cancel)()
			r = r.WithContext(ctx)
		}
		h.ServeHTTP(w, r)
	}), stop
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
