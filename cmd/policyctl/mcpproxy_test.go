package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Bad invocations exit with the usage status before starting anything; the
// proxy itself is tested end to end in test/mcp.
func TestMCPProxyUsage(t *testing.T) {
	t.Setenv(envMCPPrincipal, "")
	cases := map[string]struct {
		args []string
		env  map[string]string
		msg  string
	}{
		"no server":             {[]string{"mcp-proxy"}, nil, "give the server command"},
		"listen only":           {[]string{"mcp-proxy", "--listen", "127.0.0.1:0"}, nil, "needs --listen and --upstream"},
		"both modes":            {[]string{"mcp-proxy", "--listen", "127.0.0.1:0", "--upstream", "http://x/mcp", "--", "srv"}, nil, "no server command"},
		"no principal":          {[]string{"mcp-proxy", "--", "true"}, nil, "name the principal"},
		"audit on stdout":       {[]string{"mcp-proxy", "--principal", "a", "--", "true"}, map[string]string{"TOOLGATE_AUDIT_SINK": "stdout"}, "corrupt the MCP stream"},
		"upstream not http":     {[]string{"mcp-proxy", "--principal", "a", "--listen", "127.0.0.1:0", "--upstream", "ftp://x"}, nil, "not an http(s) URL"},
		"open port, no auth":    {[]string{"mcp-proxy", "--principal", "a", "--listen", "0.0.0.0:0", "--upstream", "http://127.0.0.1:1/mcp"}, nil, "without authentication"},
		"server does not start": {[]string{"mcp-proxy", "--principal", "a", "--", "/nonexistent/mcp-server"}, nil, "start the MCP server"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &out, &errOut)
			assert.Equal(t, exitUsage, code, errOut.String())
			assert.Contains(t, errOut.String(), tc.msg)
			assert.Empty(t, out.String(), "nothing on the MCP stream")
		})
	}
}
