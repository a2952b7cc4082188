package mcp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/mcpgate"
)

// timeout bounds one MCP exchange, process start included.
const timeout = 60 * time.Second

// Files of the test workspace.
const (
	notesText  = "buy milk"
	secretText = "region=eu\naws_key=AKIAIOSFODNN7EXAMPLE\n"
)

// env is one test's workspace, call log and audit log.
type env struct {
	ws, calls, audit string
}

func newEnv(t testing.TB) env {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	ws := filepath.Join(dir, "ws")
	require.NoError(t, os.Mkdir(ws, 0o700))
	for name, body := range map[string]string{"notes.txt": notesText, "config.txt": secretText} {
		require.NoError(t, os.WriteFile(filepath.Join(ws, name), []byte(body), 0o600))
	}
	return env{ws: ws, calls: filepath.Join(dir, "calls.log"), audit: filepath.Join(dir, "audit.log")}
}

// proxyEnv writes the audit trail to the test's audit log (none when the
// env has no audit path).
func (e env) proxyEnv() []string {
	out := append(os.Environ(), "TOOLGATE_LOG_LEVEL=error")
	if e.audit == "" {
		return append(out, "TOOLGATE_AUDIT_SINK=none")
	}
	return append(out, "TOOLGATE_AUDIT_SINK=file", "TOOLGATE_AUDIT_PATH="+e.audit)
}

// serverCalls is how many tool calls the server received.
func (e env) serverCalls(t testing.TB) int {
	t.Helper()
	b, err := os.ReadFile(e.calls)
	if os.IsNotExist(err) {
		return 0
	}
	require.NoError(t, err)
	return strings.Count(string(b), "\n")
}

func (e env) serverArgs() []string {
	return []string{"--root", e.ws, "--calls", e.calls}
}

// proxyCmd is `policyctl mcp-proxy` with the given flags for this env.
func (e env) proxyCmd(t testing.TB, flags ...string) *exec.Cmd {
	args := append([]string{"mcp-proxy", "--workspace", e.ws}, flags...)
	cmd := exec.Command(policyctlBin, args...)
	cmd.Env = e.proxyEnv()
	cmd.Stderr = testLog{t}
	return cmd
}

// testLog sends a child's stderr to the test log.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newClient() *mcp.Client {
	return mcp.NewClient(&mcp.Implementation{Name: "toolgate-it", Version: "v1"}, nil)
}

func connect(t testing.TB, tr mcp.Transport) *mcp.ClientSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cs, err := newClient().Connect(ctx, tr, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

// connectStdio runs the server behind `policyctl mcp-proxy` over stdio.
func connectStdio(t testing.TB, e env, principal ...string) *mcp.ClientSession {
	t.Helper()
	args := append(principal, append([]string{"--"}, append([]string{toolserverBin}, e.serverArgs()...)...)...)
	return connect(t, &mcp.CommandTransport{Command: e.proxyCmd(t, args...)})
}

// startPrinting starts cmd and returns the first line it prints.
func startPrinting(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(l)
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case l := <-line:
		require.NotEmpty(t, l, "%s printed nothing", cmd.Path)
		return l
	case <-time.After(timeout):
		t.Fatalf("%s did not start", cmd.Path)
		return ""
	}
}

// startServerHTTP runs the server on streamable HTTP and returns its URL.
func startServerHTTP(t testing.TB, e env) string {
	t.Helper()
	cmd := exec.Command(toolserverBin, append(e.serverArgs(), "--http", "127.0.0.1:0")...)
	cmd.Stderr = testLog{t}
	return startPrinting(t, cmd)
}

// startProxyHTTP runs `policyctl mcp-proxy --listen` in front of upstream
// and returns the proxy's MCP URL.
func startProxyHTTP(t testing.TB, e env, upstream string, flags ...string) string {
	t.Helper()
	cmd := e.proxyCmd(t, append([]string{"--listen", "127.0.0.1:0", "--upstream", upstream}, flags...)...)
	line := startPrinting(t, cmd)
	_, addr, ok := strings.Cut(line, "listening on ")
	require.True(t, ok, "unexpected first line %q", line)
	return addr + "/mcp"
}

// bearer adds a bearer token to every request.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

func call(t testing.TB, cs *mcp.ClientSession, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	require.NoError(t, err)
	return res
}

func text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// refusalCodes reads the violation codes of a refused call.
func refusalCodes(t testing.TB, res *mcp.CallToolResult) []string {
	t.Helper()
	require.True(t, res.IsError, "want a refusal, got %q", text(res))
	raw, err := json.Marshal(res.Meta[mcpgate.RefusalMetaKey])
	require.NoError(t, err)
	var r mcpgate.Refusal
	require.NoError(t, json.Unmarshal(raw, &r))
	out := []string{r.Code}
	for _, v := range r.Violations {
		out = append(out, v.Code)
	}
	return out
}

func toolNames(t testing.TB, cs *mcp.ClientSession) []string {
	t.Helper()
	res, err := cs.ListTools(context.Background(), nil)
	require.NoError(t, err)
	names := []string{}
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	return names
}
