package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/toolgate/toolgate/engine"
)

// FuzzParseAndDecide feeds arbitrary bytes through ParseCall and, when they
// parse, through input building and evaluation. Nothing may panic, and every
// error must be one of the engine's two sentinels.
func FuzzParseAndDecide(f *testing.F) {
	f.Add([]byte(okCall))
	f.Add([]byte(`{"tool": {"name": "echo", "arguments": {"path": "%2e%2e/%2e%2e/etc/shadow"}}, "principal": {"id": "alice"}}`))
	f.Add([]byte(`{"tool": {"name": "echo", "arguments": {"path": ["a"]}}, "principal": {"id": "alice"}}`))
	f.Add([]byte(`{"tool": {"name": "x", "arguments": {"n": 1e400}}, "principal": {"id": "alice"}}`))
	seedCorpus(f)
	e := newEngine(f, testPolicy)
	f.Fuzz(func(t *testing.T, data []byte) {
		call, ok := fuzzParse(t, data)
		if !ok {
			return
		}
		d, err := e.Decide(context.Background(), call)
		if err != nil && !errors.Is(err, engine.ErrInvalidInput) && !errors.Is(err, engine.ErrPolicy) {
			t.Fatalf("Decide error is not a sentinel: %v", err)
		}
		if err != nil && d.Allow {
			t.Fatalf("an error must never come with allow")
		}
	})
}

// FuzzDefaultPolicies feeds arbitrary bytes through ParseCall and, when they
// parse, through the embedded default policies (engine.LoadDefault), which
// the seed corpus (every example call and every call of the security corpus)
// exercises. For each accepted call:
//
//   - Decide fails only with ErrInvalidInput (a tool's argument schema), never
//     with ErrPolicy or anything else: a policy that cannot decide a valid
//     call is a bug;
//   - an allow carries no violations, and an error never comes with allow;
//   - Input builds the input document; its only possible error is the
//     schema's *InputError, exactly when Decide refused the call as input;
//   - json.Marshal then ParseCall gives back an equal call. Two documented
//     differences are normalised first: empty annotations are dropped by
//     their omitempty tag (so {} comes back nil), and the document may grow
//     when marshalled (encoding/json escapes <, > and & as \u003c…), so the
//     second parse allows more bytes; every other limit is the same.
//     json.Number values round-trip exactly: Marshal writes their text as is.
func FuzzDefaultPolicies(f *testing.F) {
	f.Add([]byte(okCall))
	f.Add([]byte(`{"tool": {"name": "fs.read_file", "arguments": {"path": "notes/todo.md"}}, "principal": {"id": "alice", "roles": ["developer"]},
		"session": {"id": "s-1", "agent": "a", "model": "m", "call_index": 2}, "request": {"id": "r-1", "time": "2025-01-01T00:00:00Z", "source": "mcp"}}`))
	f.Add([]byte(`{"tool": {"name": "fetch", "arguments": {"url": "https://example.com/", "n": -0.5E+3, "a": [1, null, true, {}]}, "annotations": {}}, "principal": {"id": "alice", "roles": ["developer"]}}`))
	seedCorpus(f)
	ps, err := engine.LoadDefault()
	if err != nil {
		f.Fatal(err)
	}
	e, err := engine.New(context.Background(), ps)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		call, ok := fuzzParse(t, data)
		if !ok {
			return
		}
		d, decideErr := e.Decide(context.Background(), call)
		if decideErr != nil && !errors.Is(decideErr, engine.ErrInvalidInput) {
			t.Fatalf("Decide error does not wrap ErrInvalidInput: %v", decideErr)
		}
		if decideErr != nil && d.Allow {
			t.Fatalf("an error must never come with allow")
		}
		if d.Allow && len(d.Violations) > 0 {
			t.Fatalf("allowed with violations: %+v", d.Violations)
		}

		_, inputErr := e.Input(call)
		var ie *engine.InputError
		switch {
		case inputErr == nil && decideErr != nil:
			t.Fatalf("Input succeeded but Decide refused the call: %v", decideErr)
		case inputErr != nil && decideErr == nil:
			t.Fatalf("Input failed but Decide decided: %v", inputErr)
		case inputErr != nil && !errors.As(inputErr, &ie):
			// ValidateCall accepted the call, so building its terms must not
			// fail; only the catalog's schema check may refuse it.
			t.Fatalf("Input failed building a validated call: %v", inputErr)
		}

		out, err := json.Marshal(call)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := engine.ParseCall(out, engine.Limits{MaxCallBytes: 8 * engine.DefaultMaxCallBytes})
		if err != nil {
			t.Fatalf("round trip refused: %v\n%s", err, out)
		}
		if len(call.Tool.Annotations) == 0 && len(back.Tool.Annotations) == 0 {
			call.Tool.Annotations, back.Tool.Annotations = nil, nil
		}
		if !reflect.DeepEqual(call, back) {
			t.Fatalf("round trip changed the call:\n got %#v\nwant %#v", back, call)
		}
	})
}

// seedCorpus adds the example calls and every call of the security corpus
// (JSON Lines of {"name", "call", …}). Finding no seeds, an unreadable file
// or a malformed line fails the setup: a fuzz target that silently lost its
// corpus would still pass.
func seedCorpus(f *testing.F) {
	f.Helper()
	files, err := filepath.Glob("../examples/calls/*.json")
	if err != nil {
		f.Fatal(err)
	}
	if len(files) == 0 {
		f.Fatal("no example calls in ../examples/calls")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	lines, err := filepath.Glob("../test/security/testdata/*/*.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, file := range lines {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for i, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var c struct {
				Call json.RawMessage `json:"call"`
			}
			if err := json.Unmarshal(line, &c); err != nil || len(c.Call) == 0 {
				f.Fatalf("%s:%d: not a corpus line (%v)", file, i+1, err)
			}
			f.Add([]byte(c.Call))
			n++
		}
	}
	if n == 0 {
		f.Fatal("no calls in ../test/security/testdata/*/*.jsonl")
	}
}

// fuzzParse parses data as a fuzz target does: a refusal must wrap
// ErrInvalidInput, and ok says whether there is a call to go on with.
func fuzzParse(t *testing.T, data []byte) (engine.Call, bool) {
	t.Helper()
	call, err := engine.ParseCall(data, engine.Limits{})
	if err != nil {
		if !errors.Is(err, engine.ErrInvalidInput) {
			t.Fatalf("ParseCall error is not ErrInvalidInput: %v", err)
		}
		return engine.Call{}, false
	}
	return call, true
}
