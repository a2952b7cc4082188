package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/httpapi"
)

// On shutdown the proxy ends open event streams (GET) at once, while a call
// in flight (POST) still finishes, and the server stops without an error.
func TestMCPProxyShutdownEndsStreamsAndDrainsCalls(t *testing.T) {
	entered := make(chan string, 2)
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- r.Method
		if r.Method == http.MethodGet {
			w.WriteHeader(http.StatusOK)
			_ = http.NewResponseController(w).Flush()
			<-r.Context().Done()
			return
		}
		<-release
		if r.Context().Err() != nil {
			http.Error(w, "canceled", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "done")
	})
	handler, stopStreams := endStreamsOnShutdown(h)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httpapi.NewHTTPServer(ctx, handler, httpapi.Timeouts{Shutdown: 10 * time.Second})
	assert.Zero(t, srv.ReadTimeout, "no read timeout: it would cancel long calls")
	assert.Zero(t, srv.WriteTimeout, "no write timeout: it would cut event streams")
	srv.RegisterOnShutdown(stopStreams)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- httpapi.RunHTTPServer(ctx, srv, ln, 10*time.Second, nil) }()
	url := "http://" + ln.Addr().String() + "/mcp"

	stream, err := http.Get(url)
	require.NoError(t, err)
	defer func() { _ = stream.Body.Close() }()
	require.Equal(t, http.MethodGet, <-entered)
	type result struct {
		body string
		err  error
	}
	posted := make(chan result, 1)
	go func() {
		resp, err := http.Post(url, "application/json", strings.NewReader("{}"))
		if err != nil {
			posted <- result{err: err}
			return
		}
		defer func() { _ = resp.Body.Close() }()
		b, err := io.ReadAll(resp.Body)
		posted <- result{string(b), err}
	}()
	require.Equal(t, http.MethodPost, <-entered)

	cancel()
	streamEnded := make(chan error, 1)
	go func() { _, err := io.ReadAll(stream.Body); streamEnded <- err }()
	select {
	case err := <-streamEnded:
		_ = err // EOF or a reset: either way the stream ended
	case <-time.After(5 * time.Second):
		t.Fatal("the event stream is still open after shutdown began")
	}
	close(release)
	got := <-posted
	require.NoError(t, got.err)
	assert.Equal(t, "done", got.body, "the call in flight finished")
	select {
	case err := <-served:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not stop")
	}
}
