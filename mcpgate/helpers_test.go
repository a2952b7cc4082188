package mcpgate_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/mcpgate"
	"github.com/toolgate/toolgate/test/mcp/toolserver"
)

var (
	developer = engine.Principal{ID: "dana", Roles: []string{"developer"}}
	viewer    = engine.Principal{ID: "vic", Roles: []string{"viewer"}}
)

// testTimeout bounds every test's MCP exchange.
const testTimeout = 30 * time.Second

// newEngine compiles the embedded default policies with ws as workspace.
func newEngine(t testing.TB, ws string) *engine.Engine {
	t.Helper()
	ps, err := engine.LoadDefault()
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps, engine.WithWorkspace(ws))
	require.NoError(t, err)
	return eng
}

func newGate(t testing.TB, eng *engine.Engine, opts ...coordinator.Option) *mcpgate.Gate {
	t.Helper()
	coord, err := coordinator.New(eng, opts...)
	require.NoError(t, err)
	g, err := mcpgate.New(coord, mcpgate.WithEngine(eng), mcpgate.WithServerName("files"))
	require.NoError(t, err)
	return g
}

// workspace is a temporary directory with files for the file tools.
func workspace(t testing.TB, files map[string]string) string {
	t.Helper()
	ws, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(ws, name), []byte(body), 0o600))
	}
	return ws
}

// stdioSession is the test server behind a gate, over in-memory pipes. The
// client side is raw: connect an SDK client with client(), or write lines.
type stdioSession struct {
	toClient   io.ReadCloser  // what the gate sends the client
	fromClient io.WriteCloser // what the client sends the gate
	counter    *toolserver.Counter
	done       chan error
}

// startStdio runs the test server and the gate. serverNoise is written to
// the gate as if the server had sent it before its own output.
func startStdio(t testing.TB, g *mcpgate.Gate, p engine.Principal, ws, serverNoise string) *stdioSession {
	t.Helper()
	return startStdioMax(t, g, p, ws, serverNoise, 0)
}

func startStdioMax(t testing.TB, g *mcpgate.Gate, p engine.Principal, ws, serverNoise string, maxBytes int) *stdioSession {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c2g, fromClient := io.Pipe()
	toClient, g2c := io.Pipe()
	g2s, toServer := io.Pipe()
	fromServer, s2g := io.Pipe()
	s := &stdioSession{toClient: toClient, fromClient: fromClient, counter: toolserver.NewCounter(""), done: make(chan error, 1)}
	srv := toolserver.New(ws, s.counter)
	go func() { _ = srv.Run(ctx, &mcp.IOTransport{Reader: g2s, Writer: s2g}) }()
	go func() {
		s.done <- g.ServeStdio(ctx, mcpgate.Stdio{
			Principal: p, ClientIn: c2g, ClientOut: g2c, ServerIn: toServer,
			ServerOut: io.MultiReader(strings.NewReader(serverNoise), fromServer), MaxMessageBytes: maxBytes,
		})
	}()
	t.Cleanup(func() {
		_ = fromClient.Close()
		select {
		case err := <-s.done:
			_ = err // a closed client may end the session with an error; returning is what counts
		case <-time.After(5 * time.Second):
			t.Error("ServeStdio did not return after the client closed")
		}
		cancel()
		_ = toClient.Close()
	})
	return s
}

// client connects the official Go SDK client to the session.
func (s *stdioSession) client(t testing.TB) *mcp.ClientSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c := mcp.NewClient(&mcp.Implementation{Name: "gate-test", Version: "v1"}, nil)
	cs, err := c.Connect(ctx, &mcp.IOTransport{Reader: s.toClient, Writer: nopCloser{s.fromClient}}, nil)
	require.NoError(t, err)
	return cs
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// raw is a line-level client for messages no SDK would send.
type raw struct {
	w  io.Writer
	rd *bufio.Reader
}

func (s *stdioSession) raw() *raw { return &raw{w: s.fromClient, rd: bufio.NewReader(s.toClient)} }

func (r *raw) send(t testing.TB, line string) {
	t.Helper()
	_, err := io.WriteString(r.w, line+"\n")
	require.NoError(t, err)
}

// recv reads the next message the gate sends the client.
func (r *raw) recv(t testing.TB) map[string]any {
	t.Helper()
	type read struct {
		line []byte
		err  error
	}
	ch := make(chan read, 1)
	go func() {
		line, err := r.rd.ReadBytes('\n')
		ch <- read{line, err}
	}()
	var line []byte
	select {
	case got := <-ch:
		require.NoError(t, got.err)
		line = got.line
	case <-time.After(testTimeout):
		t.Fatal("no message from the gate")
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(line, &m), string(line))
	return m
}

func callTool(t testing.TB, cs *mcp.ClientSession, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	require.NoError(t, err)
	return res
}

func resultText(res *mcp.CallToolResult) string {
	var out string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			out += tc.Text
		}
	}
	return out
}

// refusal reads the toolgate refusal from a refused call's _meta.
func refusal(t testing.TB, res *mcp.CallToolResult) mcpgate.Refusal {
	t.Helper()
	require.True(t, res.IsError, "a refused call is an MCP tool error: %s", resultText(res))
	raw, err := json.Marshal(res.Meta[mcpgate.RefusalMetaKey])
	require.NoError(t, err)
	var r mcpgate.Refusal
	require.NoError(t, json.Unmarshal(raw, &r))
	require.NotEmpty(t, r.Code, "refusal in _meta: %s", raw)
	return r
}

func codes(r mcpgate.Refusal) []string {
	out := make([]string, len(r.Violations))
	for i, v := range r.Violations {
		out[i] = v.Code
	}
	return out
}
