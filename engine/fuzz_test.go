package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
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
		call, err := engine.ParseCall(data, engine.Limits{})
		if err != nil {
			if !errors.Is(err, engine.ErrInvalidInput) {
				t.Fatalf("ParseCall error is not ErrInvalidInput: %v", err)
			}
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

// seedCorpus adds the example calls and every call of the security corpus
// (JSON Lines of {"name", "call", …}).
func seedCorpus(f *testing.F) {
	files, _ := filepath.Glob("../examples/calls/*.json")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	lines, _ := filepath.Glob("../test/security/testdata/*/*.jsonl")
	for _, file := range lines {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			var c struct {
				Call json.RawMessage `json:"call"`
			}
			if json.Unmarshal(line, &c) == nil && len(c.Call) > 0 {
				f.Add([]byte(c.Call))
			}
		}
	}
}
