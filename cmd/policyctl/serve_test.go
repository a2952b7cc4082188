package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/toolgate/toolgate/internal/testpolicies"
)

// Without authentication serve refuses any address but loopback, before
// it listens.
func TestServeRefusesNonLoopbackWithoutAuth(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		code, _, errOut := runCLI(t, "serve", "--policies", dir, "--addr", addr)
		assert.Equal(t, exitUsage, code, addr)
		assert.Contains(t, errOut, "refusing to listen", addr)
		assert.Contains(t, errOut, "NO AUTHENTICATION CONFIGURED", "the warning is loud")
	}
}

func TestServeStartupFailures(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	broken := filepath.Join(tmp, "broken")
	testpolicies.Write(t, broken, testpolicies.Variant{Marker: "A", Broken: true})
	code, _, _ := runCLI(t, "serve", "--policies", broken, "--addr", "127.0.0.1:0")
	assert.Equal(t, exitPolicy, code, "a set that does not parse")

	failing := filepath.Join(tmp, "failing")
	testpolicies.Write(t, failing, testpolicies.Variant{Marker: "A", FailingTest: true})
	code, _, errOut := runCLI(t, "serve", "--policies", failing, "--addr", "127.0.0.1:0")
	assert.Equal(t, exitPolicy, code, "a set whose tests fail")
	assert.Contains(t, errOut, "tests")

	cfg := filepath.Join(tmp, "config.yaml")
	good := filepath.Join(tmp, "good")
	testpolicies.Write(t, good, testpolicies.Variant{Marker: "A"})
	body := "policies: {dir: " + good + ", signing: {keys: [{id: k, algorithm: RS256, file: " + cfg + "}]}}\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	assert.Equal(t, exitUsage, code, "signing keys with a directory")
	assert.Contains(t, errOut, "policies.signing")
}
