package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/testpolicies"
)

// echoCall is allowed by the testpolicies sets (with their marker as the
// obligation) and denied by the embedded library, which has no echo tool.
const echoCall = `{"tool": {"name": "echo", "arguments": {}}, "principal": {"id": "a", "roles": ["dev"]}}`

// buildTestBundle builds a testpolicies bundle with `policyctl bundle
// build`, signed when priv is not empty.
func buildTestBundle(t *testing.T, dir, marker, priv string) string {
	t.Helper()
	src := filepath.Join(dir, "src-"+marker)
	testpolicies.Write(t, src, testpolicies.Variant{Marker: marker})
	out := filepath.Join(dir, marker+".tar.gz")
	args := []string{"bundle", "build", src, "-o", out, "--revision", marker}
	if priv != "" {
		args = append(args, "--signing-key", priv, "--key-id", "k1")
	}
	code, _, errOut := runCLI(t, args...)
	require.Equal(t, exitOK, code, errOut)
	return out
}

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

// Every command loads policies as serve does: with policies.signing set,
// an unsigned bundle is refused (exit 3, nothing evaluated) and a signed
// one is used.
func TestCommandsVerifyConfiguredBundleSignature(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	priv, pub := writeKeys(t, tmp, "good")
	unsigned := buildTestBundle(t, tmp, "U", "")
	signed := buildTestBundle(t, tmp, "S", priv)
	signing := ", signing: {keys: [{id: k1, algorithm: RS256, file: " + pub + "}]}}\n"

	bad := writeConfig(t, t.TempDir(), "policies: {bundle: "+unsigned+signing)
	code, out, errOut := runStdin(t, echoCall, "eval", "--config", bad, "--format", "json", "-")
	assert.Equal(t, exitPolicy, code, errOut)
	assert.Empty(t, out, "nothing is evaluated")
	assert.Contains(t, errOut, "signature")
	for _, args := range [][]string{
		{"bench", "--config", bad, "--duration", "10ms", "../../examples/calls"},
		{"mcp-proxy", "--config", bad, "--principal", "a", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1/mcp"},
		{"exec", "--config", bad, "--workspace", t.TempDir(), "--", "true"},
	} {
		code, _, errOut = runCLI(t, args...)
		assert.Equal(t, exitPolicy, code, "%s: %s", args[0], errOut)
		assert.Contains(t, errOut, "signature", args[0])
	}

	good := writeConfig(t, t.TempDir(), "policies: {bundle: "+signed+signing)
	code, out, errOut = runStdin(t, echoCall, "eval", "--config", good, "--format", "json", "-")
	require.Equal(t, exitOK, code, errOut)
	res := evalLines(t, out)
	require.Len(t, res, 1)
	assert.True(t, res[0].Allow)
	assert.Equal(t, []string{testpolicies.Obligation("S")}, res[0].Obligations)
}

// policies.url is fetched, not silently replaced by the embedded library.
func TestEvalUsesPoliciesURL(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	data, err := os.ReadFile(buildTestBundle(t, tmp, "H", ""))
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(data)
	}))
	defer srv.Close()

	code, _, errOut := runStdin(t, echoCall, "eval", "-")
	require.Equal(t, exitDenied, code, "the embedded library has no echo tool: %s", errOut)

	cfg := writeConfig(t, tmp, "policies: {url: "+srv.URL+"/bundle.tar.gz}\n")
	code, out, errOut := runStdin(t, echoCall, "eval", "--config", cfg, "--format", "json", "-")
	require.Equal(t, exitOK, code, errOut)
	res := evalLines(t, out)
	require.Len(t, res, 1)
	assert.Equal(t, []string{testpolicies.Obligation("H")}, res[0].Obligations)
}

// policies.run_tests and the directory+signing refusal apply to eval too.
func TestEvalPolicyChecks(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	failing := filepath.Join(tmp, "failing")
	testpolicies.Write(t, failing, testpolicies.Variant{Marker: "F", FailingTest: true})
	code, _, errOut := runStdin(t, echoCall, "eval", "--policies", failing, "-")
	assert.Equal(t, exitPolicy, code, "a set whose tests fail")
	assert.Contains(t, errOut, "tests")

	noTests := writeConfig(t, t.TempDir(), "policies: {dir: "+failing+", run_tests: false}\n")
	code, _, errOut = runStdin(t, echoCall, "eval", "--config", noTests, "-")
	assert.Equal(t, exitOK, code, "run_tests: false skips the tests: %s", errOut)

	_, pub := writeKeys(t, tmp, "k")
	dirSigned := writeConfig(t, t.TempDir(), "policies: {dir: "+failing+", signing: {keys: [{id: k, algorithm: RS256, file: "+pub+"}]}}\n")
	code, _, errOut = runStdin(t, echoCall, "eval", "--config", dirSigned, "-")
	assert.Equal(t, exitUsage, code, "signing keys with a directory")
	assert.Contains(t, errOut, "policies.signing")
}

// policyctl test raises builtin errors as the engine does.
func TestTestCommandRaisesBuiltinErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "package p\n\nx := 1\n\ntest_x if {\n\tx == 1\n\tnot to_number(\"x\")\n}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p_test.rego"), []byte(src), 0o600))
	code, out, errOut := runCLI(t, "test", dir)
	assert.Equal(t, exitTestsFailed, code, out+errOut)
}
