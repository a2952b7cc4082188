package mcpgate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/mcpgate"
	"github.com/toolgate/toolgate/test/mcp/toolserver"
)

// seenRequest is what the upstream server received: the JSON-RPC method of
// a POST (empty for GET, DELETE and batches) and the headers.
type seenRequest struct {
	method string
	header http.Header
}

// headerRecorder records every request before the MCP handler serves it.
type headerRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen []seenRequest
}

func (h *headerRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Method string `json:"method"`
	}
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &msg)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	h.mu.Lock()
	h.seen = append(h.seen, seenRequest{method: msg.Method, header: r.Header.Clone()})
	h.mu.Unlock()
	h.next.ServeHTTP(w, r)
}

func (h *headerRecorder) requests() []seenRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]seenRequest(nil), h.seen...)
}

// withCredentials adds the caller's credentials for toolgate, and a header
// that must pass, to every request of the client.
type withCredentials struct{ next http.RoundTripper }

func (c withCredentials) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer secret")
	r.Header.Set("Cookie", "toolgate_session=secret")
	r.Header.Set("X-Probe", "passes")
	return c.next.RoundTrip(r)
}

// The caller's Authorization and Cookie authenticate it to toolgate: the
// proxy never passes them to the server, neither on relayed messages (ping,
// initialize) nor on the tool calls and lists it forwards itself.
func TestHTTPProxyStripsCallerCredentials(t *testing.T) {
	t.Parallel()
	ws := workspace(t, map[string]string{"notes.txt": "buy milk"})
	counter := toolserver.NewCounter("")
	srv := toolserver.New(ws, counter)
	rec := &headerRecorder{next: mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil)}
	upstream := httptest.NewServer(rec)
	t.Cleanup(upstream.Close)
	proxy, err := mcpgate.NewHTTPProxy(newGate(t, newEngine(t, ws)), upstream.URL, mcpgate.StaticPrincipal(developer))
	require.NoError(t, err)
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	client := &http.Client{Transport: withCredentials{http.DefaultTransport}}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "v1"}, nil).Connect(ctx,
		&mcp.StreamableClientTransport{Endpoint: front.URL + "/mcp", HTTPClient: client, MaxRetries: -1}, nil)
	require.NoError(t, err)
	require.NoError(t, cs.Ping(ctx, nil))
	assert.Equal(t, "buy milk", resultText(callTool(t, cs, "read_file", map[string]any{"path": "notes.txt"})))
	require.NoError(t, cs.Close())
	require.Equal(t, int64(1), counter.Calls())

	methods := map[string]bool{}
	for _, r := range rec.requests() {
		methods[r.method] = true
		assert.Empty(t, r.header.Values("Authorization"), "%q reached the server with the caller's Authorization", r.method)
		assert.Empty(t, r.header.Values("Cookie"), "%q reached the server with the caller's Cookie", r.method)
		assert.Equal(t, "passes", r.header.Get("X-Probe"), "%q: other headers are passed on", r.method)
	}
	for _, m := range []string{"initialize", "ping", "tools/list", "tools/call"} {
		assert.True(t, methods[m], "the server received %s (seen: %v)", m, methods)
	}

	// A raw ping and tools/call without a session: the server refuses them,
	// but still must not see the credentials.
	before := len(rec.requests())
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":7,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"notes.txt"}}}`,
	} {
		_, _ = post(t, front.URL+"/mcp", body, map[string]string{"Authorization": "Bearer secret", "Cookie": "a=secret"})
	}
	after := rec.requests()[before:]
	require.NotEmpty(t, after)
	for _, r := range after {
		assert.Empty(t, r.header.Values("Authorization"), "%q", r.method)
		assert.Empty(t, r.header.Values("Cookie"), "%q", r.method)
	}
}
