package httpapi_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/httpapi"
)

// Shutdown drains: a request in flight when the context ends still gets
// its answer, /readyz turns 503 meanwhile, and Serve returns cleanly.
func TestGracefulShutdownDrains(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	checker := fakeChecker{d: engine.Decision{ID: "d-1", Allow: true, Violations: []engine.Violation{}}, block: release}
	api, err := httpapi.New(checker, testEngine(t))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- api.Serve(ctx, ln, httpapi.Timeouts{Shutdown: 10 * time.Second}) }()
	url := "http://" + ln.Addr().String()

	answered := make(chan int, 1)
	go func() {
		resp, err := http.Post(url+"/v1/check", "application/json", strings.NewReader(`{"tool":{"name":"echo"}}`))
		if err != nil {
			answered <- -1
			return
		}
		_ = resp.Body.Close()
		answered <- resp.StatusCode
	}()
	require.Eventually(t, func() bool { return inFlight(t, url) >= 1 }, 5*time.Second, 10*time.Millisecond)
	cancel()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-served:
		t.Fatalf("Serve returned while a request was in flight: %v", err)
	default:
	}
	close(release)
	assert.Equal(t, http.StatusOK, <-answered)
	require.NoError(t, <-served)
	_, err = http.Get(url + "/healthz")
	assert.Error(t, err, "the listener is closed")
}

// inFlight reads the in-flight gauge (the /metrics request itself counts 1).
func inFlight(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		return 0
	}
	defer func() { _ = resp.Body.Close() }()
	r := readReply(t, resp)
	for _, line := range strings.Split(string(r.body), "\n") {
		if strings.HasPrefix(line, "toolgate_http_in_flight_requests ") {
			var n float64
			_, _ = fmt.Sscan(strings.TrimPrefix(line, "toolgate_http_in_flight_requests "), &n)
			return int(n) - 1
		}
	}
	return 0
}
