package mcp_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/require"
)

// benchSettings lifts the default rate limits so that a benchmark measures
// latency, not the limiter refusing.
const benchSettings = `settings:
  rate_limits:
    principal_tool: {limit: 1000000, per: 24h}
    principal: {limit: 1000000, per: 24h}
    session: {limit: 1000000, per: 24h}
    tools: {}
`

// BenchmarkToolsCall measures one allowed tools/call (read_file: decided,
// rate-limited, result checked for secrets; audit off) through the proxy beside the same
// call straight to the same server, over stdio and streamable HTTP, in one
// run. The proxy's added latency is proxy minus direct.
func BenchmarkToolsCall(b *testing.B) {
	e := newEnv(b)
	e.audit = "" // audit off: the proxy's own cost
	cfg := filepath.Join(b.TempDir(), "config.yaml")
	require.NoError(b, os.WriteFile(cfg, []byte(benchSettings), 0o600))
	proxyFlags := []string{"--config", cfg, "--principal", "dana", "--role", "developer"}
	b.Run("stdio/direct", func(b *testing.B) {
		cmd := exec.Command(toolserverBin, e.serverArgs()...)
		benchCalls(b, connect(b, &mcp.CommandTransport{Command: cmd}))
	})
	b.Run("stdio/proxy", func(b *testing.B) {
		args := append(proxyFlags, append([]string{"--", toolserverBin}, e.serverArgs()...)...)
		benchCalls(b, connect(b, &mcp.CommandTransport{Command: e.proxyCmd(b, args...)}))
	})
	upstream := startServerHTTP(b, e)
	b.Run("http/direct", func(b *testing.B) {
		benchCalls(b, connect(b, &mcp.StreamableClientTransport{Endpoint: upstream, MaxRetries: -1}))
	})
	b.Run("http/proxy", func(b *testing.B) {
		proxy := startProxyHTTP(b, e, upstream, proxyFlags...)
		benchCalls(b, connect(b, &mcp.StreamableClientTransport{Endpoint: proxy, MaxRetries: -1}))
	})
}

func benchCalls(b *testing.B, cs *mcp.ClientSession) {
	ctx := context.Background()
	params := &mcp.CallToolParams{Name: "read_file", Arguments: map[string]any{"path": "notes.txt"}}
	for range 20 { // warm up: tool list, caches, connections
		res, err := cs.CallTool(ctx, params)
		require.NoError(b, err)
		require.False(b, res.IsError, text(res))
	}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		res, err := cs.CallTool(ctx, params)
		lat = append(lat, time.Since(start))
		if err != nil || res.IsError {
			b.Fatalf("call failed: %v %s", err, text(res))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
