package security_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// Input-validation attacks that JSON Lines cannot carry (invalid UTF-8 is not
// JSON text, a 50 MB line is no fixture) or that only a Go caller can build
// (Go values of types JSON does not have). Each must be refused with
// invalid_input, without a panic.

const devPrincipal = `"principal": {"id": "alice", "roles": ["developer"]}`

// rawCall wraps arguments JSON in a call document for tool.
func rawCall(tool, args string) []byte {
	return []byte(`{"tool": {"name": "` + tool + `", "arguments": ` + args + `}, ` + devPrincipal + `}`)
}

// TestInputRawDocuments feeds call documents as bytes, the way every caller
// outside Go sends them: ParseCall, then (if it accepts) Check, must refuse.
func TestInputRawDocuments(t *testing.T) {
	const (
		mb    = 1 << 20
		depth = 10_000
	)
	valid := string(rawCall("fs.read_file", `{"path": "notes/todo.md"}`))
	cases := []struct {
		name string
		doc  []byte
	}{
		{"50MB argument", rawCall("fs.write_file", `{"path": "notes/big.txt", "content": "`+strings.Repeat("A", 50*mb)+`"}`)},
		{"10000-deep arrays", rawCall("fetch", `{"url": "https://example.com/", "x": `+strings.Repeat("[", depth)+strings.Repeat("]", depth)+`}`)},
		{"10000-deep objects", rawCall("fetch", `{"url": "https://example.com/", "x": `+strings.Repeat(`{"a":`, depth)+`1`+strings.Repeat("}", depth)+`}`)},
		{"10000-deep unterminated", rawCall("fetch", `{"url": "https://example.com/", "x": `+strings.Repeat("[", depth)+`}`)},
		{"invalid UTF-8 in value", rawCall("fs.read_file", "{\"path\": \"notes/\xff\xfe.md\"}")},
		{"invalid UTF-8 in key", rawCall("fetch", "{\"url\": \"https://example.com/\", \"\xc3\x28\": 1}")},
		{"overlong UTF-8 dots", rawCall("fs.read_file", "{\"path\": \"\xc0\xae\xc0\xae/\xc0\xae\xc0\xae/etc/passwd\"}")},
		{"invalid UTF-8 in tool name", rawCall("fs.read_file\xff", `{"path": "README.md"}`)},
		{"UTF-16 surrogate bytes", rawCall("fs.read_file", "{\"path\": \"\xed\xa0\x80.md\"}")},
		{"path is a number", rawCall("fs.read_file", `{"path": 12345}`)},
		{"path is a huge number", rawCall("fs.read_file", `{"path": 1e999999}`)},
		{"arguments is an array", rawCall("fs.read_file", `["notes/todo.md"]`)},
		{"arguments is null", rawCall("fs.read_file", `null`)},
		{"command is an array", rawCall("shell.exec", `{"command": ["rm", "-rf", "/"]}`)},
		{"NUL in tool name", rawCall(`fs.read_file\u0000`, `{"path": "README.md"}`)},
		{"raw NUL byte in tool name", rawCall("fs.read_file\x00", `{"path": "README.md"}`)},
		{"trailing document", []byte(valid + valid)},
		{"trailing garbage", []byte(valid + ` rm -rf /`)},
		{"empty", nil},
		{"whitespace only", []byte(" \n\t ")},
		{"null document", []byte(`null`)},
		{"top-level array", []byte(`[` + valid + `]`)},
		{"top-level string", []byte(`"fs.read_file"`)},
		{"truncated", []byte(valid[:len(valid)/2])},
		{"byte order mark", append([]byte("\xef\xbb\xbf"), valid...)},
		{"injected facts", []byte(`{"tool": {"name": "fs.read_file", "arguments": {"path": "/etc/shadow"}}, ` + devPrincipal +
			`, "facts": {"paths": {"arguments.path": {"ok": true, "clean": "/srv/work/a", "inside_workspace": true}}}}`)},
		{"injected environment", []byte(`{"tool": {"name": "fs.read_file", "arguments": {"path": "/etc/passwd"}}, ` + devPrincipal +
			`, "environment": {"workspace": "/"}}`)},
		{"5000 keys", rawCall("fetch", `{"url": "https://example.com/", "x": {`+manyKeys(5000)+`}}`)},
	}
	coord := newCoordinator(t)
	// The control: the document the malformed cases are made from is accepted
	// and decided, so a refusal below is about what was changed.
	call, err := engine.ParseCall([]byte(valid), engine.Limits{})
	require.NoError(t, err)
	_, err = coord.Check(context.Background(), call)
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertRefusedInput(t, func() error {
				call, err := engine.ParseCall(tc.doc, engine.Limits{})
				if err != nil {
					if !errors.Is(err, engine.ErrInvalidInput) {
						t.Errorf("ParseCall error %v does not wrap engine.ErrInvalidInput", err)
					}
					return &coordinator.Error{Code: coordinator.CodeInvalidInput, Err: err}
				}
				_, err = coord.Check(context.Background(), call)
				return err
			})
		})
	}
}

// TestInputGoCalls builds calls in Go, as an embedding tool server does, and
// hands them straight to Check: its own validation must catch what ParseCall
// would have.
func TestInputGoCalls(t *testing.T) {
	deepMap := func(n int) map[string]any {
		v := map[string]any{"leaf": "x"}
		for range n {
			v = map[string]any{"a": v}
		}
		return v
	}
	deepSlice := func(n int) []any {
		v := []any{}
		for range n {
			v = []any{v}
		}
		return v
	}
	// The values ride in the annotations, which no schema restricts (tool
	// arguments with a schema refuse an extra key before their values count).
	fetch := func(extra any) engine.Call {
		return withAnnotations(goCall("fetch", map[string]any{"url": "https://example.com/"}), map[string]any{"x": extra})
	}
	cases := []struct {
		name string
		call engine.Call
	}{
		{"50MB argument", goCall("fs.write_file", map[string]any{"path": "notes/big.txt", "content": strings.Repeat("A", 50<<20)})},
		{"10000-deep map", fetch(deepMap(10_000))},
		{"10000-deep slice", fetch(deepSlice(10_000))},
		{"invalid UTF-8 path", goCall("fs.read_file", map[string]any{"path": "notes/\xff.md"})},
		{"overlong UTF-8 path", goCall("fs.read_file", map[string]any{"path": "\xc0\xae\xc0\xae/etc/passwd"})},
		{"invalid UTF-8 key", fetch(map[string]any{"\xff": "x"})},
		{"invalid UTF-8 in []string", fetch([]string{"ok", "\xfe"})},
		{"invalid UTF-8 tool name", goCall("fs.read_file\xff", map[string]any{"path": "README.md"})},
		{"invalid UTF-8 principal", withPrincipal(goCall("fs.read_file", map[string]any{"path": "README.md"}), "ali\xffce", "developer")},
		{"NUL in tool name", goCall("fs.read_file\x00", map[string]any{"path": "README.md"})},
		{"NUL in role", withPrincipal(goCall("shell.exec", map[string]any{"command": "id"}), "alice", "developer\x00admin")},
		{"empty tool name", goCall("", map[string]any{"path": "README.md"})},
		{"path is an int", goCall("fs.read_file", map[string]any{"path": 12345})},
		{"path is a float", goCall("fs.read_file", map[string]any{"path": 1.5})},
		{"path is a bool", goCall("fs.read_file", map[string]any{"path": true})},
		{"path is nil", goCall("fs.read_file", map[string]any{"path": nil})},
		{"path is a []string", goCall("fs.read_file", map[string]any{"path": []string{"/etc/shadow"}})},
		{"missing arguments", goCall("fs.read_file", nil)},
		{"struct value", fetch(struct{ Path string }{"/etc/shadow"})},
		{"pointer value", fetch(new(string))},
		{"[]int value", fetch([]int{1, 2, 3})},
		{"map[string]string value", fetch(map[string]string{"a": "b"})},
		{"int8 value", fetch(int8(1))},
		{"func value", fetch(func() {})},
		{"chan value", fetch(make(chan int))},
		{"NaN", fetch(math.NaN())},
		{"+Inf", fetch(math.Inf(1))},
		{"bad json.Number", fetch(json.Number("12abc"))},
		{"overflowing json.Number", fetch(json.Number("1e999999"))},
		{"string over limit", goCall("fs.write_file", map[string]any{"path": "a.txt", "content": strings.Repeat("x", engine.DefaultMaxStringBytes+1)})},
		{"too many items", fetch(make([]any, engine.DefaultMaxKeys+1))},
		{"unsupported annotation", withAnnotations(goCall("fs.read_file", map[string]any{"path": "README.md"}), map[string]any{"x": struct{}{}})},
	}
	coord := newCoordinator(t)
	// The control: a well-formed Go call of the same shapes is decided.
	_, err := coord.Check(context.Background(), goCall("fs.read_file", map[string]any{"path": "README.md"}))
	require.NoError(t, err)
	_, err = coord.Check(context.Background(), fetch(map[string]any{"a": []any{"b", json.Number("1"), true, nil}}))
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertRefusedInput(t, func() error {
				d, err := coord.Check(context.Background(), tc.call)
				if err == nil && d.Allow {
					t.Errorf("allowed")
				}
				return err
			})
		})
	}
}

// assertRefusedInput runs check and requires a *coordinator.Error with code
// invalid_input. A panic fails the test with the value instead of crashing
// the run.
func assertRefusedInput(t *testing.T, check func() error) {
	t.Helper()
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v", r)
			}
		}()
		err = check()
	}()
	var refusal *coordinator.Error
	switch {
	case err == nil:
		t.Fatal("ALLOWED, want invalid_input")
	case !errors.As(err, &refusal):
		t.Fatalf("error %v is not a *coordinator.Error", err)
	case refusal.Code != coordinator.CodeInvalidInput:
		t.Fatalf("refused with %s (%s) %s, want invalid_input", refusal.Code, truncate(refusal.Message), describe(refusal.Violations))
	}
	if len(refusal.Message) > 4096 {
		t.Errorf("refusal message is %d bytes: attacker input is echoed at length", len(refusal.Message))
	}
}

func goCall(tool string, args map[string]any) engine.Call {
	return engine.Call{
		Tool:      engine.Tool{Name: tool, Arguments: args},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}},
	}
}

func withPrincipal(c engine.Call, id string, roles ...string) engine.Call {
	c.Principal = engine.Principal{ID: id, Roles: roles}
	return c
}

func withAnnotations(c engine.Call, ann map[string]any) engine.Call {
	c.Tool.Annotations = ann
	return c
}

func manyKeys(n int) string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = `"k` + strconv.Itoa(i) + `": 1`
	}
	return strings.Join(keys, ",")
}

func truncate(s string) string {
	const max = 300
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
