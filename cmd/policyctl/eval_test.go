package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/engine"
)

// runStdin runs the CLI with stdin.
func runStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func evalLines(t *testing.T, out string) []evalResult {
	t.Helper()
	var res []evalResult
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r evalResult
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), sc.Text())
		res = append(res, r)
	}
	return res
}

// The README's run command: every example decided, attacks denied.
func TestEvalExamples(t *testing.T) {
	code, out, _ := runCLI(t, "eval", "--format", "json", "../../examples/calls")
	assert.Equal(t, exitDenied, code, "the examples include attacks")
	res := evalLines(t, out)
	require.Len(t, res, 25)
	byName := map[string]evalResult{}
	for _, r := range res {
		assert.NotEmpty(t, r.DecisionID)
		assert.Nil(t, r.Error, r.Source)
		byName[filepath.Base(r.Source)] = r
	}
	assert.True(t, byName["01-dev-read-notes.json"].Allow)
	assert.Equal(t, "none", byName["01-dev-read-notes.json"].Sandbox.Network)
	assert.False(t, byName["13-attack-rm-rf.json"].Allow)
	assert.Equal(t, "destructive_command", byName["13-attack-rm-rf.json"].Violations[0].Code)
	assert.False(t, byName["16-attack-ssrf-metadata.json"].Allow)

	code, out, _ = runCLI(t, "eval", "../../examples/calls/01-dev-read-notes.json")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "1 calls: 1 allowed")
}

func TestEvalStdinAndJSONLines(t *testing.T) {
	calls := `{"tool": {"name": "fs.read_file", "arguments": {"path": "a.md"}}, "principal": {"id": "alice", "roles": ["developer"]}}
{"tool": {"name": "fs.read_file", "arguments": {"path": "/etc/shadow"}}, "principal": {"id": "alice", "roles": ["developer"]}}`
	code, out, _ := runStdin(t, calls, "eval", "--format", "json", "-")
	assert.Equal(t, exitDenied, code)
	res := evalLines(t, out)
	require.Len(t, res, 2)
	assert.Equal(t, "stdin:1", res[0].Source)
	assert.True(t, res[0].Allow)
	assert.False(t, res[1].Allow)

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.jsonl"), []byte(calls+"\n# comment\n\n"), 0o600))
	code, out, _ = runCLI(t, "eval", "--format", "json", dir)
	assert.Equal(t, exitDenied, code)
	res = evalLines(t, out)
	require.Len(t, res, 2)
	assert.True(t, strings.HasSuffix(res[1].Source, "c.jsonl:2"))
}

func TestEvalInvalidInputAndUsage(t *testing.T) {
	code, out, _ := runStdin(t, `{"tool": {"name": 5}}`, "eval", "--format", "json", "-")
	assert.Equal(t, exitUsage, code)
	res := evalLines(t, out)
	require.Len(t, res, 1)
	require.NotNil(t, res[0].Error)
	assert.Equal(t, "invalid_input", res[0].Error.Code)

	code, _, errOut := runCLI(t, "eval", "/does/not/exist")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "no such file")

	code, _, _ = runCLI(t, "eval", "--format", "xml", "-")
	assert.Equal(t, exitUsage, code)
	code, _, _ = runCLI(t, "eval")
	assert.Equal(t, exitUsage, code)
	code, _, _ = runCLI(t, "eval", "--policies", t.TempDir(), "../../examples/calls")
	assert.Equal(t, exitPolicy, code, "a directory without policies")
}

// --audit writes a chained log that verifies.
func TestEvalAudit(t *testing.T) {
	log := filepath.Join(t.TempDir(), "audit.log")
	code, _, _ := runCLI(t, "eval", "--audit", log, "../../examples/calls")
	assert.Equal(t, exitDenied, code)
	f, err := os.Open(log)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	rep, err := audit.Verify(audit.VerifyOptions{}, audit.Source{Name: log, R: f})
	require.NoError(t, err)
	require.NoError(t, rep.Err())
	assert.GreaterOrEqual(t, rep.Events, 25)
	raw, err := os.ReadFile(log)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "AKIAIOSFODNN7EXAMPLE", "the example's AWS key is redacted")
}

func TestTestAndCheckCommands(t *testing.T) {
	code, out, errOut := runCLI(t, "test", "--coverage", "--threshold", "100", "--timeout", "1m", "../../policies")
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Coverage: 100.00%")

	code, _, errOut = runCLI(t, "check", "--calls", "../../examples/calls", "../../policies")
	assert.Equal(t, exitOK, code, errOut)

	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "p.rego"), []byte("package toolgate\n\ndecision   := true\n\ntest_fails if false\n"), 0o600))
	code, _, _ = runCLI(t, "test", bad)
	assert.Equal(t, exitTestsFailed, code)
	code, _, errOut = runCLI(t, "check", "--calls", "../../examples/calls", bad)
	assert.Equal(t, exitPolicy, code)
	assert.Contains(t, errOut, "not formatted")
	assert.Contains(t, errOut, "contract")
}

func TestBenchJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "bench", "--duration", "300ms", "--format", "json", "../../examples/calls")
	require.Equal(t, exitOK, code, errOut)
	var rep benchReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, 25, rep.Calls, "every example call is benchmarked")
	assert.Greater(t, rep.Check.Samples, 0)
	assert.Greater(t, rep.RawOPA.P99, 0.0)
	assert.Greater(t, rep.RatioP50, 0.0)
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "policyctl")
}

// check compiles with the engine's capabilities: a policy that calls the
// network fails the strict compile, not just the contract.
func TestCheckRefusesNetworkBuiltins(t *testing.T) {
	dir := t.TempDir()
	src := "package toolgate\n\nx := http.send({\"method\": \"get\", \"url\": \"http://169.254.169.254/\"})\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.rego"), []byte(src), 0o600))
	code, _, errOut := runCLI(t, "check", "--calls", "../../examples/calls", dir)
	assert.Equal(t, exitPolicy, code)
	assert.Contains(t, errOut, "compile:")
	assert.Contains(t, errOut, "http.send")
}

// Documents are parsed with the configured limits, the ones the coordinator
// enforces: a call nested deeper than the default is refused by default and
// decided when limits.max_depth allows it.
func TestEvalParsesWithTheConfiguredLimits(t *testing.T) {
	doc := `{"url": "https://example.com/"}`
	for range engine.DefaultMaxDepth + 8 {
		doc = `{"a": ` + doc + `}`
	}
	// The deep value rides in the annotations: no schema restricts them.
	call := `{"tool": {"name": "fetch", "arguments": {"url": "https://example.com/"}, "annotations": {"x": ` + doc + `}}, "principal": {"id": "alice", "roles": ["developer"]}}`
	code, _, _ := runStdin(t, call, "eval", "-")
	assert.Equal(t, exitUsage, code, "deeper than the default")
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("limits:\n  max_depth: 64\n"), 0o600))
	code, out, errOut := runStdin(t, call, "eval", "--config", cfg, "-")
	assert.Equal(t, 0, code, "%s%s", out, errOut)
}
