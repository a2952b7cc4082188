package mcpgate_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/mcpgate"
	"github.com/toolgate/toolgate/test/mcp/toolserver"
)

// startHTTP runs the test server on streamable HTTP and the proxy before it.
func startHTTP(t *testing.T, ws string, principal mcpgate.PrincipalFunc, opts ...mcpgate.HTTPOption) (string, *toolserver.Counter) {
	t.Helper()
	counter := toolserver.NewCounter("")
	srv := toolserver.New(ws, counter)
	upstream := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
	t.Cleanup(upstream.Close)
	proxy, err := mcpgate.NewHTTPProxy(newGate(t, newEngine(t, ws)), upstream.URL, principal, opts...)
	require.NoError(t, err)
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return front.URL + "/mcp", counter
}

func TestHTTPProxyWithTheSDKClient(t *testing.T) {
	t.Parallel()
	ws := workspace(t, map[string]string{"notes.txt": "buy milk"})
	url, counter := startHTTP(t, ws, mcpgate.StaticPrincipal(viewer))
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "v1"}, nil).
		Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: url, MaxRetries: -1}, nil)
	require.NoError(t, err)
	defer func() { _ = cs.Close() }()
	list, err := cs.ListTools(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, list.Tools, 1)
	assert.Equal(t, "read_file", list.Tools[0].Name)
	assert.Equal(t, "buy milk", resultText(callTool(t, cs, "read_file", map[string]any{"path": "notes.txt"})))
	assert.Contains(t, codes(refusal(t, callTool(t, cs, "shell.exec", map[string]any{"command": "id"}))), "role_not_permitted")
	assert.Equal(t, int64(1), counter.Calls())
}

func post(t *testing.T, url, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// Malformed requests are answered by the proxy and never reach the server.
func TestHTTPProxyRefusesMalformedRequests(t *testing.T) {
	t.Parallel()
	ws := workspace(t, nil)
	url, counter := startHTTP(t, ws, mcpgate.StaticPrincipal(developer), mcpgate.WithMaxBodyBytes(2048))
	call := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"x"}}}`
	for body, want := range map[string]struct {
		status int
		text   string
	}{
		`{"jsonrpc":"2.0","id":1,"method":`: {http.StatusBadRequest, "-32700"},
		`[` + call + `]`:                    {http.StatusBadRequest, "one per request"},
		`[]`:                                {http.StatusBadRequest, "empty batch"},
		`{"jsonrpc":"2.0","id":1}`:          {http.StatusBadRequest, ""},
		strings.Repeat(" ", 4096) + call:    {http.StatusRequestEntityTooLarge, "too large"},
		`{"jsonrpc":"2.0","method":"tools/call","params":{"name":"read_file"}}`: {http.StatusAccepted, ""},
	} {
		status, text := post(t, url, body, nil)
		assert.Equal(t, want.status, status, "%.60s: %s", body, text)
		assert.Contains(t, text, want.text, "%.60s", body)
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Last-Event-ID", "0_3")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "no stream resumption through the proxy")
	assert.Equal(t, int64(0), counter.Calls())
}

// A request whose principal cannot be established gets 401.
func TestHTTPProxyNeedsAPrincipal(t *testing.T) {
	t.Parallel()
	ws := workspace(t, nil)
	nobody := func(*http.Request) (engine.Principal, error) { return engine.Principal{}, errors.New("no credential") }
	url, counter := startHTTP(t, ws, nobody)
	status, _ := post(t, url, `{"jsonrpc":"2.0","id":1,"method":"ping"}`, nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = post(t, url, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"a"}}}`, nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, int64(0), counter.Calls())
	_, err := mcpgate.NewHTTPProxy(newGate(t, newEngine(t, ws)), "ftp://x", nobody)
	require.Error(t, err)
}
