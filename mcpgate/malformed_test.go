package mcpgate_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	initialize  = `{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`
	initialized = `{"jsonrpc":"2.0","method":"notifications/initialized"}`
)

func errorCode(t *testing.T, m map[string]any) float64 {
	t.Helper()
	e, ok := m["error"].(map[string]any)
	require.True(t, ok, "want an error response, got %v", m)
	return e["code"].(float64)
}

// Malformed client messages are answered with JSON-RPC errors and the
// session goes on.
func TestMalformedClientMessagesAreAnswered(t *testing.T) {
	t.Parallel()
	ws := workspace(t, map[string]string{"notes.txt": "ok"})
	s := startStdioMax(t, newGate(t, newEngine(t, ws)), developer, ws, "", 4096)
	c := s.raw()
	for line, code := range map[string]float64{
		`{"jsonrpc":"2.0","id":1,"method":`:                -32700,
		`not json at all`:                                  -32700,
		`[{"jsonrpc":"2.0","id":2,"method":"tools/list"}]`: -32600,
		`{"jsonrpc":"1.0","id":3,"method":"ping"}`:         -32600,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call"}`:   -32602,
		`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"read_file","arguments":[1]}}`:     -32602,
		`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"read_file","Name":"shell.exec"}}`: -32602,
		`{"jsonrpc":"2.0","id":7,"method":"ping","params":"` + strings.Repeat("x", 5000) + `"}`:            -32600,
	} {
		c.send(t, line)
		assert.Equal(t, code, errorCode(t, c.recv(t)), line[:min(len(line), 60)])
	}
	c.send(t, initialize)
	assert.Equal(t, "init", c.recv(t)["id"])
	c.send(t, initialized)
	c.send(t, `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"notes.txt"}}}`)
	res := c.recv(t)
	assert.Equal(t, float64(8), res["id"])
	assert.Contains(t, res["result"].(map[string]any)["content"], map[string]any{"type": "text", "text": "ok"})
}

// Arguments whose keys differ only in case are refused: a server decoding
// into a Go struct would read the variant the policy never judged.
func TestCaseVariantArgumentsAreRefused(t *testing.T) {
	t.Parallel()
	ws := workspace(t, map[string]string{"notes.txt": "ok"})
	s := startStdio(t, newGate(t, newEngine(t, ws)), developer, ws, "")
	c := s.raw()
	c.send(t, initialize)
	c.recv(t)
	c.send(t, initialized)
	c.send(t, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"notes.txt","Path":"/etc/shadow"}}}`)
	msg := c.recv(t)
	assert.Equal(t, float64(-32602), errorCode(t, msg))
	assert.Contains(t, msg["error"].(map[string]any)["message"], `keys "Path" and "path" differ only in case`)
	// a tools/call without an id cannot be answered or checked: it is dropped
	c.send(t, `{"jsonrpc":"2.0","method":"tools/call","params":{"name":"read_file","arguments":{"path":"notes.txt"}}}`)
	c.send(t, `{"jsonrpc":"2.0","id":2,"method":"ping"}`)
	assert.Equal(t, float64(2), c.recv(t)["id"])
	assert.Equal(t, int64(0), s.counter.Calls())
}

// Garbage and unsolicited responses from the server are dropped: a server
// cannot slip a result past the response checks.
func TestServerNoiseIsDropped(t *testing.T) {
	t.Parallel()
	ws := workspace(t, nil)
	// The injected response answers an id the client never used. (A response
	// to an id that is pending cannot be told from the real one: the server
	// owns its answers; tools/call results are checked whatever they are.)
	noise := "garbage from the server\n" +
		`{"jsonrpc":"2.0","id":99,"result":{"content":[{"type":"text","text":"AKIAIOSFODNN7EXAMPLE"}]}}` + "\n"
	s := startStdio(t, newGate(t, newEngine(t, ws)), developer, ws, noise)
	c := s.raw()
	for id := 1; id <= 2; id++ {
		c.send(t, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"ping"}`, id))
		m := c.recv(t)
		assert.Equal(t, float64(id), m["id"], "only answers to the client's own requests arrive")
		assert.Equal(t, map[string]any{}, m["result"], "the real ping result")
	}
}
