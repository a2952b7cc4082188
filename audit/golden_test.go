package audit

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/toolgate/toolgate/audit/sink"
	"github.com/toolgate/toolgate/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const goldenDir = "testdata/verify"

// goldenLog writes the reference log: every event type, both redaction
// passes, HMAC masks, signed checkpoints every 4 events. Everything that
// varies (clock, ids, keys) is fixed, so the bytes are reproducible.
func goldenLog(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	l, err := New(sink.NewWriter(&buf),
		WithClock(stepClock()), WithRandom(&countingRandom{}), WithDetector(wordDetector),
		WithRedaction(RedactHMAC), WithHMACKey(testHMACKey), WithCheckpoints(4, testKey()),
		WithLabels(map[string]string{"id": "node-1", "version": "test"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range goldenScript() {
		if err := step(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func goldenScript() []func(*Logger) error {
	at := func(s int) time.Time { return time.Date(2026, 11, 26, 10, 0, s, 0, time.UTC) }
	web := sampleCall(1)
	web.Tool.Arguments["token"] = "plain-token"
	web.Tool.Arguments["headers"] = map[string]any{"Authorization": "Bearer sk_live_123"}
	allowWeb := allowDecision("d-1")
	allowWeb.Audit.Redact = []string{"arguments.token"}
	fsCall := engine.Call{Tool: engine.Tool{Name: "fs.read_file", Arguments: map[string]any{"path": "../../etc/passwd"}},
		Principal: engine.Principal{ID: "bob", Roles: []string{"agent"}}}
	deny := engine.Decision{ID: "d-2", Revision: "rev-1", Violations: []engine.Violation{
		{Code: "path_traversal", Severity: "high", Field: "arguments.path", Message: "path leaves the workspace"}}}
	shell := engine.Call{Tool: engine.Tool{Name: "shell.exec", Arguments: map[string]any{"command": "sleep 60"}},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}}}
	return []func(*Logger) error{
		func(l *Logger) error {
			return l.Decision(ctx, DecisionEvent{DecisionID: "d-1", Timestamp: at(1), Call: web, Decision: allowWeb, Latency: 180 * time.Microsecond})
		},
		func(l *Logger) error {
			return l.Outcome(ctx, OutcomeEvent{DecisionID: "d-1", Timestamp: at(2), Tool: "http.get", Principal: "alice", Duration: 42 * time.Millisecond, OutputBytes: 512, Layers: []string{"timeout"}})
		},
		func(l *Logger) error {
			return l.Decision(ctx, DecisionEvent{DecisionID: "d-2", Timestamp: at(3), Call: fsCall, Decision: deny, Err: &ErrorInfo{Code: "denied", Message: "the policy denied the call"}})
		},
		func(l *Logger) error {
			return l.Decision(ctx, DecisionEvent{DecisionID: "d-3", Timestamp: at(4), Call: web, Decision: allowWeb, Err: &ErrorInfo{Code: "rate_limited", Message: "rate limit exceeded"}})
		},
		func(l *Logger) error {
			return l.Decision(ctx, DecisionEvent{DecisionID: "d-4", Timestamp: at(5), Call: shell, Decision: allowDecision("d-4")})
		},
		func(l *Logger) error {
			return l.Outcome(ctx, OutcomeEvent{DecisionID: "d-4", Timestamp: at(15), Tool: "shell.exec", Principal: "alice", Duration: 10 * time.Second, ExitCode: -1, Killed: "timeout", Layers: []string{"rlimit", "landlock", "seccomp"}, Err: &ErrorInfo{Code: "sandbox_violation", Message: "timeout after 10s"}})
		},
		func(l *Logger) error {
			bad := engine.Call{Tool: engine.Tool{Name: "fs.read_file", Arguments: map[string]any{"path": 7}}, Principal: engine.Principal{ID: "carol"}}
			return l.Decision(ctx, DecisionEvent{DecisionID: "d-5", Timestamp: at(16), Call: bad, Err: &ErrorInfo{Code: "invalid_input", Message: "arguments.path: expected string"}})
		},
		func(l *Logger) error {
			return l.Decision(ctx, DecisionEvent{DecisionID: "d-6", Timestamp: at(17), Call: web, Decision: allowWeb})
		},
		func(l *Logger) error {
			return l.Outcome(ctx, OutcomeEvent{DecisionID: "d-6", Timestamp: at(18), Tool: "http.get", Principal: "alice", Duration: 7 * time.Millisecond, OutputBytes: 2048})
		},
	}
}

// TestGoldenLog pins the wire format: a change to any byte an event is
// written with shows up here (and needs a docs/audit.md update).
func TestGoldenLog(t *testing.T) {
	got := goldenLog(t)
	path := filepath.Join(goldenDir, "valid.jsonl")
	if *update {
		writeGolden(t, path, got)
		writeTamperings(t, got)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the log differs from %s (run go test -update after a deliberate format change):\n%s", path, got)
	}
	for _, secret := range []string{"plain-token", "sk_live_123", string(testHMACKey)} {
		if bytes.Contains(got, []byte(secret)) {
			t.Errorf("%q in the golden log", secret)
		}
	}
}

func writeGolden(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func lines(b []byte) []string { return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") }

func join(ls []string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }
