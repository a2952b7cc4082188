package httpapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/httpapi"
	"github.com/toolgate/toolgate/limits"
)

var (
	dev   = []string{"dev"}
	admin = []string{"admin"}
)

func TestCheckAllowsAndDenies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	r := e.do(t, "POST", "/v1/check", callJSON("echo", "alice", dev, map[string]any{"text": "hi"}))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	d := r.json(t)["decision"].(map[string]any)
	assert.Equal(t, true, d["allow"])
	assert.Equal(t, []any{"set:A"}, d["obligations"])
	assert.NotEmpty(t, d["decision_id"])

	r = e.do(t, "POST", "/v1/check", callJSON("shell.exec", "alice", dev, map[string]any{}))
	require.Equal(t, http.StatusForbidden, r.status)
	body := r.json(t)
	errObj := body["error"].(map[string]any)
	assert.Equal(t, "denied", errObj["code"])
	assert.Equal(t, "role_not_permitted", errObj["violations"].([]any)[0].(map[string]any)["code"])
	assert.Equal(t, false, body["decision"].(map[string]any)["allow"], "a denial carries its decision")
	assert.Equal(t, errObj["decision_id"], body["decision"].(map[string]any)["decision_id"])
}

func TestRateLimitedHasRetryAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	call := callJSON("shell.exec", "root", admin, map[string]any{})
	for i := 0; i < shellLimit; i++ {
		require.Equal(t, http.StatusOK, e.do(t, "POST", "/v1/check", call).status)
	}
	r := e.do(t, "POST", "/v1/check", call)
	require.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "rate_limited", r.errorCode(t))
	secs, err := strconv.Atoi(r.header.Get("Retry-After"))
	require.NoError(t, err)
	assert.Greater(t, secs, 60, "a 2/h limit frees a token in about 30 minutes")
}

func TestBadBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	big := callJSON("echo", "a", dev, map[string]any{"text": strings.Repeat("x", testMaxCallBytes)})
	cases := map[string]struct {
		body, ctype string
		status      int
	}{
		"malformed JSON":       {`{"tool": {"name": "echo"`, "application/json", 400},
		"trailing data":        {callJSON("echo", "a", dev, nil) + `{}`, "application/json", 400},
		"unknown field":        {`{"tool": {"name": "echo"}, "admin": true}`, "application/json", 400},
		"wrong type":           {`{"tool": {"name": 7}}`, "application/json", 400},
		"schema violation":     {callJSON("echo", "a", dev, map[string]any{"text": 1}), "application/json", 400},
		"no tool name":         {`{"tool": {}}`, "application/json", 400},
		"deep nesting":         {`{"tool": {"name": "echo", "arguments": {"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}}}`, "application/json", 400},
		"invalid UTF-8":        {"{\"tool\": {\"name\": \"e\xffo\"}}", "application/json", 400},
		"empty":                {"", "application/json", 400},
		"oversized":            {big, "application/json", 413},
		"not JSON media type":  {callJSON("echo", "a", dev, nil), "text/plain", 415},
		"JSON with parameters": {callJSON("echo", "a", dev, nil), "application/json; charset=utf-8", 200},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest("POST", e.srv.URL+"/v1/check", strings.NewReader(tc.body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", tc.ctype)
			r := e.send(t, req)
			require.Equal(t, tc.status, r.status, "%s", r.body)
			if tc.status != 200 {
				assert.Equal(t, "invalid_input", r.errorCode(t))
			}
		})
	}
}

// A body without Content-Length is cut at the limit while it streams.
func TestOversizedChunkedBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte(`{"tool": {"name": "echo", "arguments": {"text": "`))
		_, _ = pw.Write([]byte(strings.Repeat("x", 4*testMaxCallBytes)))
		_ = pw.Close()
	}()
	req, err := http.NewRequest("POST", e.srv.URL+"/v1/check", pr)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Zero(t, req.ContentLength, "a pipe body has no declared length: it is sent chunked")
}

func TestRoutingErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	// Neither request is in the OpenAPI document, so they go out unvalidated.
	resp, err := e.srv.Client().Get(e.srv.URL + "/v1/check")
	require.NoError(t, err)
	r := readReply(t, resp)
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Equal(t, "POST", r.header.Get("Allow"))
	assert.Equal(t, "method_not_allowed", r.errorCode(t))
	resp, err = e.srv.Client().Get(e.srv.URL + "/v2/nothing")
	require.NoError(t, err)
	r = readReply(t, resp)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "not_found", r.errorCode(t))
}

type brokenLimiter struct{}

func (brokenLimiter) Take(context.Context, []engine.RateLimit) (bool, time.Duration, error) {
	return false, 0, limits.ErrStoreUnavailable
}

type policyFails struct{}

func (policyFails) Decide(context.Context, engine.Call) (engine.Decision, error) {
	return engine.Decision{}, errors.New("eval_type_error")
}

// Every refusal code maps to its documented status; a failing dependency
// never lets a call through.
func TestFailuresFailClosed(t *testing.T) {
	t.Parallel()
	call := callJSON("echo", "a", dev, map[string]any{})
	auditFails := newEnv(t, []coordinator.Option{coordinator.WithAuditor(failingAuditor{})})
	r := auditFails.do(t, "POST", "/v1/check", call)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "audit_failure", r.errorCode(t))

	limiterDown := newEnv(t, []coordinator.Option{coordinator.WithLimiter(brokenLimiter{})})
	r = limiterDown.do(t, "POST", "/v1/check", call)
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "rate_limited", r.errorCode(t))
	m := limiterDown.do(t, "GET", "/metrics", "")
	assert.Contains(t, string(m.body), `toolgate_rate_limit_rejections_total{reason="store_unavailable"} 1`)

	coord, err := coordinator.New(policyFails{})
	require.NoError(t, err)
	r = newEnvWith(t, coord, testEngine(t)).do(t, "POST", "/v1/check", call)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "policy_error", r.errorCode(t))

	r = newEnvWith(t, fakeChecker{panic: true}, testEngine(t)).do(t, "POST", "/v1/check", call)
	assert.Equal(t, http.StatusInternalServerError, r.status)
	assert.Equal(t, "internal", r.errorCode(t))

	r = newEnvWith(t, fakeChecker{err: errors.New("not a coordinator error")}, testEngine(t)).do(t, "POST", "/v1/check", call)
	assert.Equal(t, http.StatusInternalServerError, r.status, "an unknown error is never success")
}

func TestBatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, httpapi.WithBatch(3, 1<<16))
	body := `{"calls": [` + callJSON("echo", "a", dev, map[string]any{}) + `,` +
		callJSON("shell.exec", "a", dev, map[string]any{}) + `, {"tool": 1}]}`
	r := e.do(t, "POST", "/v1/check/batch", body)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	results := r.json(t)["results"].([]any)
	require.Len(t, results, 3)
	var statuses []float64
	for _, res := range results {
		statuses = append(statuses, res.(map[string]any)["status"].(float64))
	}
	assert.Equal(t, []float64{200, 403, 400}, statuses)

	four := `{"calls": [{"tool":{"name":"echo"}},{"tool":{"name":"echo"}},{"tool":{"name":"echo"}},{"tool":{"name":"echo"}}]}`
	assert.Equal(t, http.StatusRequestEntityTooLarge, e.do(t, "POST", "/v1/check/batch", four).status)
	assert.Equal(t, http.StatusBadRequest, e.do(t, "POST", "/v1/check/batch", `{"calls": []}`).status)
	assert.Equal(t, http.StatusBadRequest, e.do(t, "POST", "/v1/check/batch", `{"calls": [], "x": 1}`).status)
	assert.Equal(t, http.StatusBadRequest, e.do(t, "POST", "/v1/check/batch", `[]`).status)
	// The batch document's own member is matched exactly and once, as a call's are.
	one := callJSON("echo", "a", dev, map[string]any{})
	for _, doc := range []string{
		`{"calls": [` + one + `], "calls": [` + one + `]}`,
		`{"Calls": [` + one + `]}`,
		`{"CALLS": [` + one + `], "calls": [` + one + `]}`,
	} {
		r := e.do(t, "POST", "/v1/check/batch", doc)
		assert.Equal(t, http.StatusBadRequest, r.status, doc)
		assert.Contains(t, string(r.body), `one member, \"calls\"`, doc)
	}
}

func TestToolsListedPerPrincipal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	names := func(r reply) []string {
		var out []string
		for _, tool := range r.json(t)["tools"].([]any) {
			out = append(out, tool.(map[string]any)["name"].(string))
		}
		return out
	}
	r := e.do(t, "GET", "/v1/tools?principal=a&role=dev", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, []string{"echo"}, names(r))
	assert.Equal(t, e.eng.Revision(), r.json(t)["revision"])
	assert.Equal(t, []string{"echo", "shell.exec"}, names(e.do(t, "GET", "/v1/tools?principal=a&role=admin&role=dev", "")))
	assert.Empty(t, names(e.do(t, "GET", "/v1/tools", "")), "no principal, no tools")
	assert.Equal(t, http.StatusBadRequest, e.do(t, "GET", "/v1/tools?principal=a%01b", "").status)
}

func TestHealthReadyMetrics(t *testing.T) {
	t.Parallel()
	down := errors.New("redis: connection refused")
	e := newEnv(t, nil,
		httpapi.WithReadyCheck("policies", func(context.Context) (string, error) { return "revision x", nil }),
		httpapi.WithReadyCheck("redis", func(context.Context) (string, error) { return "", down }))
	assert.Equal(t, http.StatusOK, e.do(t, "GET", "/healthz", "").status)
	r := e.do(t, "GET", "/readyz", "")
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	checks := r.json(t)["checks"].(map[string]any)
	assert.Equal(t, "revision x", checks["policies"].(map[string]any)["detail"])
	assert.Equal(t, down.Error(), checks["redis"].(map[string]any)["error"])

	e.do(t, "POST", "/v1/check", callJSON("shell.exec", "a", dev, map[string]any{}))
	m := string(e.do(t, "GET", "/metrics", "").body)
	assert.Contains(t, m, `toolgate_decisions_total{outcome="denied",tool="shell.exec"} 1`)
	assert.Contains(t, m, `toolgate_violations_total{code="role_not_permitted",tool="shell.exec"} 1`)
	assert.Contains(t, m, `toolgate_check_duration_seconds_count{endpoint="check"} 1`)
	assert.Contains(t, m, `toolgate_http_requests_total{route="/readyz",status="503"} 1`)

	// A tool the catalog does not know is counted as _unknown: its name is the
	// caller's text, which must neither fill the bounded labels nor be published.
	for i := range 3 {
		e.do(t, "POST", "/v1/check", callJSON("ghp_junk"+strconv.Itoa(i), "a", dev, map[string]any{}))
	}
	m = string(e.do(t, "GET", "/metrics", "").body)
	assert.NotContains(t, m, "ghp_junk")
	assert.Contains(t, m, `toolgate_decisions_total{outcome="denied",tool="_unknown"} 3`)
}

// Argument keys that differ only in case are refused as invalid input, at
// any depth: an application decoding the arguments into a Go struct matches
// keys case-insensitively and could run the variant the policies did not
// judge. Distinct keys pass.
func TestCheckRefusesCaseVariantKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for name, tc := range map[string]struct {
		args map[string]any
		msg  string
	}{
		"top level": {map[string]any{"url": "https://example.com/", "URL": "http://169.254.169.254/latest/meta-data"}, `keys "URL" and "url" differ only in case`},
		"nested":    {map[string]any{"cmd": "ls", "env": map[string]any{"Path": "/bin", "PATH": "/tmp/evil"}}, `keys "PATH" and "Path" differ only in case`},
	} {
		r := e.do(t, "POST", "/v1/check", callJSON("shell.exec", "root", admin, tc.args))
		require.Equal(t, http.StatusBadRequest, r.status, "%s: %s", name, r.body)
		assert.Equal(t, "invalid_input", r.errorCode(t), name)
		assert.Contains(t, r.json(t)["error"].(map[string]any)["message"], tc.msg, name)
	}
	r := e.do(t, "POST", "/v1/check", callJSON("shell.exec", "root", admin, map[string]any{"cmd": "ls", "env": map[string]any{"PATH": "/bin", "HOME": "/root"}}))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
}
