// Package mcp_test runs real MCP clients (the official Go SDK and the
// official TypeScript SDK) through `policyctl mcp-proxy`, over stdio and
// streamable HTTP, in front of a real MCP server built with the Go SDK
// (test/mcp/toolserver), and measures what the proxy adds per tools/call.
package mcp_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Binaries built once for the whole package.
var (
	policyctlBin  string
	toolserverBin string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "toolgate-mcp-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := buildBinaries(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func buildBinaries(dir string) error {
	policyctlBin = filepath.Join(dir, "policyctl")
	toolserverBin = filepath.Join(dir, "mcp-toolserver")
	for pkg, out := range map[string]string{
		"github.com/toolgate/toolgate/cmd/policyctl":                          policyctlBin,
		"github.com/toolgate/toolgate/test/mcp/toolserver/cmd/mcp-toolserver": toolserverBin,
	} {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %v\n%s", pkg, err, b)
		}
	}
	return nil
}
