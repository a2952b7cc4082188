package mcpgate

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

const fakeToken = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"

func resultGate(t *testing.T) *Gate {
	t.Helper()
	ps, err := engine.LoadDefault()
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps)
	require.NoError(t, err)
	coord, err := coordinator.New(eng)
	require.NoError(t, err)
	g, err := New(coord, WithEngine(eng), WithServerName("files"))
	require.NoError(t, err)
	return g
}

var readCall = engine.Call{
	Tool:      engine.Tool{Name: "read_file", Arguments: map[string]any{"path": "a.txt"}},
	Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}},
}

// A secret used as an object key is redacted like one in a value, at any
// depth, and the value moves with its redacted key.
func TestResultKeysAreScanned(t *testing.T) {
	g := resultGate(t)
	raw := `{"content":[{"type":"text","text":"ok"}],"structuredContent":{"` + fakeToken + `":1,"a":[{"b":{"AKIAIOSFODNN7EXAMPLQ":{"c":"` + fakeToken + `"}}}]}}`
	out, err := g.CheckResult(context.Background(), readCall, json.RawMessage(raw))
	require.NoError(t, err)
	assert.NotContains(t, string(out), fakeToken)
	assert.NotContains(t, string(out), "AKIAIOSFODNN7EXAMPLQ")
	assert.Contains(t, string(out), `"[REDACTED:github_token]":1`)
	assert.Contains(t, string(out), `"[REDACTED:aws_access_key]":{"c":"[REDACTED:github_token]"}`)
}

// A result with a key twice in one object is withheld: it would go to the
// client as sent, with a first value no rule judged.
func TestResultDuplicateKeysAreWithheld(t *testing.T) {
	g := resultGate(t)
	for _, raw := range []string{
		`{"content":[{"type":"text","text":"` + fakeToken + `","text":"ok"}]}`,
		`{"content":[],"content":[{"type":"text","text":"ok"}]}`,
		`{"a":{"b":{"c":1,"c":2}}}`,
	} {
		_, err := g.CheckResult(context.Background(), readCall, json.RawMessage(raw))
		require.Error(t, err, raw)
		assert.Equal(t, coordinator.CodePolicyError, coordinator.ErrorOf(err).Code, raw)
	}
	_, err := g.CheckResult(context.Background(), readCall, json.RawMessage(`{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],"x":{"text":"c"}}`))
	require.NoError(t, err, "the same key in different objects is fine")
}

// A server's JSON-RPC error reply is checked like a result: a token in its
// message or data is redacted, a private key withholds it.
func TestServerErrorsAreChecked(t *testing.T) {
	g := resultGate(t)
	id, err := jsonrpc.MakeID(float64(7))
	require.NoError(t, err)
	resp := g.checkedServerError(context.Background(), id, readCall, &jsonrpc.Error{
		Code: -32000, Message: "failed: " + fakeToken, Data: json.RawMessage(`{"k":"` + fakeToken + `"}`),
	})
	require.NotNil(t, resp.Error)
	raw, err := json.Marshal(resp.Error)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), fakeToken)
	assert.Contains(t, string(raw), "[REDACTED:github_token]")
	var we *jsonrpc.Error
	require.ErrorAs(t, resp.Error, &we)
	assert.Equal(t, int64(-32000), we.Code, "the server's code is kept")

	blocked := g.checkedServerError(context.Background(), id, readCall, &jsonrpc.Error{
		Code: -32000, Message: "x", Data: json.RawMessage(`{"k":"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234567890abcdef\n-----END RSA PRIVATE KEY-----"}`),
	})
	raw, err = json.Marshal(blocked)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "MIIEowIBAAKCAQEA1234567890abcdef")
	assert.Contains(t, string(raw), "response_secret_blocked")

	// finish, which every tools/call goes through, checks a server error.
	via := g.finish(context.Background(), id, readCall, coordinator.Result{}, &serverError{resp: &jsonrpc.Response{
		ID: id, Error: &jsonrpc.Error{Code: -32000, Message: "failed: " + fakeToken},
	}})
	require.NotNil(t, via.Error)
	raw, err = json.Marshal(via.Error)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), fakeToken, "finish must not forward a server error unchecked")
}
