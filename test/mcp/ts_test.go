package mcp_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tsDir holds the TypeScript client and its locked npm dependencies.
const tsDir = "ts"

// npmTimeout bounds `npm ci` (the registry is on the network).
const npmTimeout = 5 * time.Minute

// ensureNodeModules installs the locked @modelcontextprotocol/sdk when it is
// missing, as CI does not.
func ensureNodeModules(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(tsDir, "node_modules", "@modelcontextprotocol", "sdk", "package.json")); err == nil {
		return
	}
	npm, err := exec.LookPath("npm")
	require.NoError(t, err, "the TypeScript client test needs npm (Node.js)")
	ctx, cancel := context.WithTimeout(context.Background(), npmTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = tsDir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "npm ci: %s", out)
}

type tsResult struct {
	Server  string   `json:"server"`
	Tools   []string `json:"tools"`
	Allowed struct {
		IsError bool   `json:"isError"`
		Text    string `json:"text"`
	} `json:"allowed"`
	Denied struct {
		IsError bool   `json:"isError"`
		Text    string `json:"text"`
		Refusal struct {
			Code       string `json:"code"`
			Violations []struct {
				Code string `json:"code"`
			} `json:"violations"`
		} `json:"refusal"`
	} `json:"denied"`
}

// The official TypeScript client, on the machine's Node.js, through the
// stdio proxy: one allowed call with the server's result, one denied call
// with the refusal, and the server saw only the allowed one.
func TestTypeScriptClient(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	require.NoError(t, err, "the TypeScript client test needs Node.js")
	ensureNodeModules(t)
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	args := append([]string{"client.mjs", policyctlBin, e.ws, "--", toolserverBin}, e.serverArgs()...)
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = tsDir
	cmd.Env = e.proxyEnv()
	cmd.Stderr = testLog{t}
	out, err := cmd.Output()
	require.NoError(t, err, "%s", out)
	var got tsResult
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)

	assert.Equal(t, "toolgate-test-server", got.Server)
	assert.Equal(t, developerTools, got.Tools)
	assert.False(t, got.Allowed.IsError)
	assert.Equal(t, notesText, got.Allowed.Text)
	assert.True(t, got.Denied.IsError)
	assert.Equal(t, "denied", got.Denied.Refusal.Code)
	require.NotEmpty(t, got.Denied.Refusal.Violations)
	assert.Contains(t, got.Denied.Text, got.Denied.Refusal.Violations[0].Code, "the model reads the codes too")
	assert.Equal(t, 1, e.serverCalls(t))
}
