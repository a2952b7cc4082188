package audit

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/audit/sink"
	"github.com/toolgate/toolgate/engine"
)

// An attacker who edits a line's header, not its body, still breaks the
// chain: every malformed header is reported at its line.
func TestVerifyRejectsForgedHeaders(t *testing.T) {
	t.Parallel()
	l, path := openFileLogger(t, sink.FileOptions{})
	for i := 0; i < 3; i++ {
		ev := DecisionEvent{DecisionID: "d", Call: engine.Call{Tool: engine.Tool{Name: "t"}}}
		if err := l.Decision(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	second := bytes.SplitN(orig, []byte("\n"), 3)[1]
	forgeries := map[string]func([]byte) []byte{
		"unknown type": func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"type":"decision"`), []byte(`"type":"decisio"`), 1)
		},
		"no type":          func(b []byte) []byte { return bytes.Replace(b, []byte(`{"type":`), []byte(`{"kind":`), 1) },
		"seq leading zero": func(b []byte) []byte { return bytes.Replace(b, []byte(`"seq":`), []byte(`"seq":0`), 1) },
		"uppercase hash": func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"prev_hash":"`), []byte(`"prev_hash":"A`), 1)[:len(b)]
		},
		"short hash":        func(b []byte) []byte { return bytes.Replace(b, []byte(`"prev_hash":"`), []byte(`"prev_hash":"0"`), 1) },
		"not json at all":   func([]byte) []byte { return []byte("garbage") },
		"missing prev hash": func(b []byte) []byte { return bytes.Replace(b, []byte(`"prev_hash"`), []byte(`"prev_hashx"`), 1) },
	}
	for name, forge := range forgeries {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			forged := bytes.Replace(orig, second, forge(bytes.Clone(second)), 1)
			rep, err := Verify(VerifyOptions{}, Source{Name: "audit.jsonl", R: bytes.NewReader(forged)})
			if err != nil {
				t.Fatal(err)
			}
			err = rep.Err()
			if !errors.Is(err, ErrChainBroken) {
				t.Fatalf("want a broken chain, got %v", err)
			}
			if rep.Break.Line != 2 || !strings.Contains(err.Error(), "audit.jsonl:2") {
				t.Fatalf("want the break at line 2, got %v", err)
			}
		})
	}
}

// A sink that fails refuses the event with a WriteError naming the step.
func TestWriteErrorNamesTheStep(t *testing.T) {
	t.Parallel()
	l, err := New(failingSink{})
	if err != nil {
		t.Fatal(err)
	}
	err = l.Decision(context.Background(), DecisionEvent{DecisionID: "d"})
	var we *WriteError
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "audit: write event") {
		t.Fatalf("want a write error, got %v", err)
	}
}

type failingSink struct{}

func (failingSink) Write([]byte) error { return errors.New("disk full") }
func (failingSink) Sync() error        { return nil }
func (failingSink) Close() error       { return nil }

func TestOpenSinks(t *testing.T) {
	t.Parallel()
	l, err := Open(Config{Sink: SinkStdout, Fsync: FsyncModeNever})
	if err != nil {
		t.Fatal(err)
	}
	if !l.Enabled() {
		t.Fatal("stdout logger is enabled")
	}
	n, err := Open(Config{Sink: SinkNone})
	if err != nil || n.Enabled() {
		t.Fatalf("none is the no-op logger: %v", err)
	}
	notDir := t.TempDir() + "/file"
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Config{Sink: SinkFile, Path: notDir + "/a.log"}); err == nil {
		t.Fatal("a path under a regular file fails at open")
	}
}
