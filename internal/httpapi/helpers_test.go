package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/httpapi"
	"github.com/toolgate/toolgate/internal/testpolicies"
)

// testMaxCallBytes keeps the size tests small.
const testMaxCallBytes = 4096

// shellLimit is shell.exec's rate limit in the test policies.
const shellLimit = 2

func testEngine(t *testing.T) *engine.Engine {
	t.Helper()
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A", ShellLimit: shellLimit})
	ps, err := engine.LoadDir(dir)
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps)
	require.NoError(t, err)
	return eng
}

type env struct {
	srv *httptest.Server
	eng *engine.Engine
}

// newEnv serves the test policies through a real coordinator.
func newEnv(t *testing.T, copts []coordinator.Option, opts ...httpapi.Option) env {
	t.Helper()
	eng := testEngine(t)
	coord, err := coordinator.New(eng, copts...)
	require.NoError(t, err)
	return newEnvWith(t, coord, eng, opts...)
}

func newEnvWith(t *testing.T, c httpapi.Checker, eng *engine.Engine, opts ...httpapi.Option) env {
	t.Helper()
	opts = append([]httpapi.Option{httpapi.WithLimits(engine.Limits{MaxCallBytes: testMaxCallBytes})}, opts...)
	api, err := httpapi.New(c, eng, opts...)
	require.NoError(t, err)
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return env{srv: srv, eng: eng}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "%s", r.body)
	return m
}

// errorCode returns error.code of a refusal body.
func (r reply) errorCode(t *testing.T) string {
	t.Helper()
	e, ok := r.json(t)["error"].(map[string]any)
	require.True(t, ok, "no error object in %s", r.body)
	return e["code"].(string)
}

// do sends a request and validates the response against docs/openapi.yaml.
func (e env) do(t *testing.T, method, path, body string, hdr ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.send(t, req)
}

func (e env) send(t *testing.T, req *http.Request) reply {
	t.Helper()
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	checkSpec(t, req, resp, body)
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

func callJSON(tool, principal string, roles []string, args map[string]any) string {
	c := map[string]any{"tool": map[string]any{"name": tool, "arguments": args}}
	if principal != "" || roles != nil {
		c["principal"] = map[string]any{"id": principal, "roles": roles}
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// fakeChecker returns a fixed result, or panics.
type fakeChecker struct {
	d     engine.Decision
	err   error
	panic bool
	block chan struct{}
}

func (f fakeChecker) Check(ctx context.Context, _ engine.Call) (engine.Decision, error) {
	if f.panic {
		panic("checker exploded")
	}
	if f.block != nil {
		select {
		case <-f.block:
		case <-time.After(10 * time.Second):
		}
	}
	return f.d, f.err
}

type failingAuditor struct{}

func (failingAuditor) Decision(context.Context, audit.DecisionEvent) error { return io.ErrShortWrite }
func (failingAuditor) Outcome(context.Context, audit.OutcomeEvent) error   { return io.ErrShortWrite }

func readReply(t *testing.T, resp *http.Response) reply {
	t.Helper()
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}
