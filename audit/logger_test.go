package audit

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/toolgate/toolgate/audit/query"
	"github.com/toolgate/toolgate/audit/sink"
	"github.com/toolgate/toolgate/engine"
)

var ctx = context.Background()

func TestDecisionEventFields(t *testing.T) {
	l, path := openFileLogger(t, sink.FileOptions{}, WithLabels(map[string]string{"id": "node-1"}), WithDetector(wordDetector))
	call := sampleCall(1)
	call.Tool.Arguments["token"] = "abc"
	d := allowDecision("dec-1")
	d.Audit.Redact = []string{"arguments.token"}
	ts := time.Date(2026, 11, 26, 10, 0, 0, 123, time.FixedZone("CET", 3600))
	if err := l.Decision(ctx, DecisionEvent{DecisionID: "dec-1", Timestamp: ts, Call: call, Decision: d, Latency: 1500 * time.Nanosecond}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(readLines(t, path)[0]), &ev); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type": "decision", "seq": 1.0, "prev_hash": GenesisHash, "decision_id": "dec-1",
		"timestamp": "2026-11-26T09:00:00.000000123Z", "path": DecisionPath,
		"labels":  map[string]any{"id": "node-1"},
		"bundles": map[string]any{"toolgate": map[string]any{"revision": "rev-1"}},
		"erased":  []any{"/input/tool/arguments/token"},
		"metrics": map[string]any{"timer_toolgate_decision_ns": 1500.0},
	}
	for k, v := range want {
		if !reflect.DeepEqual(ev[k], v) {
			t.Errorf("%s = %#v, want %#v", k, ev[k], v)
		}
	}
	input := ev["input"].(map[string]any)
	if _, ok := input["tool"].(map[string]any)["arguments"].(map[string]any)["token"]; ok {
		t.Error("redacted argument is still in the event")
	}
	if input["principal"].(map[string]any)["tenant"] != "acme" || input["session"].(map[string]any)["call_index"] != 1.0 {
		t.Errorf("input is not the call document: %v", input)
	}
	if ev["result"].(map[string]any)["allow"] != true {
		t.Errorf("result: %v", ev["result"])
	}
	if id, _ := ev["event_id"].(string); len(id) != 36 || id[14] != '4' {
		t.Errorf("event_id %q is not a v4 UUID", id)
	}
	if call.Tool.Arguments["token"] != "abc" {
		t.Error("the caller's call was modified")
	}
}

func TestOutcomeEventFields(t *testing.T) {
	l, path := openFileLogger(t, sink.FileOptions{}, WithDetector(wordDetector))
	ev := OutcomeEvent{
		DecisionID: "dec-1", Tool: "shell.exec", Principal: "bob", Duration: 2 * time.Second,
		ExitCode: 137, OutputBytes: 1 << 20, Truncated: true, Killed: "memory", Layers: []string{"rlimit", "landlock"},
		Err: &ErrorInfo{Code: "sandbox_violation", Message: "killed after printing sk_live_abc"},
	}
	if err := l.Outcome(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	line := readLines(t, path)[0]
	for _, want := range []string{
		`{"type":"outcome","seq":1,`, `"tool":"shell.exec"`, `"principal":"bob"`, `"duration_ns":2000000000`,
		`"exit_code":137`, `"output_bytes":1048576`, `"truncated":true`, `"killed":"memory"`,
		`"layers":["rlimit","landlock"]`, `"error":{"code":"sandbox_violation","message":"killed after printing [REDACTED:test_key]"}`,
		`"erased":["/error/message"]`,
	} {
		if !strings.Contains(line, want) {
			t.Errorf("missing %s in %s", want, line)
		}
	}
}

func TestRefusedCallRedactsMessages(t *testing.T) {
	l, path := openFileLogger(t, sink.FileOptions{}, WithDetector(wordDetector))
	d := engine.Decision{ID: "d", Violations: []engine.Violation{{Code: "secret_in_arguments", Field: "arguments.x", Message: "found sk_live_zzz"}}}
	err := l.Decision(ctx, DecisionEvent{Call: sampleCall(1), Decision: d, Err: &ErrorInfo{Code: "denied", Message: "sk_live_zzz"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	line := readLines(t, path)[0]
	if strings.Contains(line, "sk_live_zzz") {
		t.Fatalf("secret in %s", line)
	}
	if d.Violations[0].Message != "found sk_live_zzz" {
		t.Fatal("the caller's decision was modified")
	}
	if !strings.Contains(line, `"decision_id":"d"`) || !strings.Contains(line, `"erased":["/error/message","/result/violations/0/message"]`) {
		t.Fatalf("line %s", line)
	}
}

func TestNopRecordsNothing(t *testing.T) {
	l := Nop()
	if l.Enabled() {
		t.Fatal("Nop is enabled")
	}
	if err := l.Decision(ctx, DecisionEvent{}); err != nil {
		t.Fatal(err)
	}
	if err := l.Outcome(ctx, OutcomeEvent{}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestClosedLoggerRefuses(t *testing.T) {
	l, _ := openFileLogger(t, sink.FileOptions{})
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(1)}); !errors.Is(err, ErrClosed) {
		t.Fatalf("got %v", err)
	}
}

func TestOptionsFailAtBuildTime(t *testing.T) {
	s := sink.NewWriter(&strings.Builder{})
	cases := map[string][]Option{
		"hmac without key":   {WithRedaction(RedactHMAC)},
		"short hmac key":     {WithHMACKey([]byte("short"))},
		"unknown redaction":  {WithRedaction(9)},
		"unknown fsync":      {WithFsync(9)},
		"interval too small": {WithFsyncInterval(time.Microsecond)},
		"checkpoint every 0": {WithCheckpoints(0, testKey())},
		"checkpoint bad key": {WithCheckpoints(5, nil)},
		"nil clock":          {WithClock(nil)},
		"nil random":         {WithRandom(nil)},
		"nil hmac key":       {WithHMACKey(nil), WithRedaction(RedactHMAC)},
	}
	for name, opts := range cases {
		if _, err := New(s, opts...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New(nil); err == nil {
		t.Error("nil sink accepted")
	}
}

func TestResumeContinuesTheChain(t *testing.T) {
	l, path := openFileLogger(t, sink.FileOptions{})
	for i := 0; i < 3; i++ {
		if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(i), Decision: allowDecision("d")}); err != nil {
			t.Fatal(err)
		}
	}
	seq, hash := l.Head()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = reopen(t, path, sink.FileOptions{})
	if s2, h2 := l.Head(); s2 != seq || h2 != hash {
		t.Fatalf("resumed at %d %s, want %d %s", s2, h2, seq, hash)
	}
	if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(4), Decision: allowDecision("d")}); err != nil {
		t.Fatal(err)
	}
	seq, hash = l.Head()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	rep := verifyFiles(t, VerifyOptions{Head: &Head{Seq: seq, Hash: hash}}, path)
	mustIntact(t, rep)
	if rep.Events != 4 {
		t.Fatalf("events %d", rep.Events)
	}
}

func TestResumeRefusesGarbage(t *testing.T) {
	l, path := openFileLogger(t, sink.FileOptions{})
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, "not an event\n")
	s, err := sink.OpenFile(path, sink.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	if _, err := New(s); err == nil {
		t.Fatal("a chain was continued from garbage")
	}
}

func TestRotationAndRestartKeepOneChain(t *testing.T) {
	fo := sink.FileOptions{MaxBytes: 8 << 10}
	l, path := openFileLogger(t, fo, WithFsync(FsyncNever))
	for round := 0; round < 3; round++ {
		for i := 0; i < 20; i++ {
			if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(i), Decision: allowDecision("d")}); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		l = reopen(t, path, fo, WithFsync(FsyncNever))
	}
	seq, hash := l.Head()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	files := rotatedAndActive(t, path)
	rep := verifyFiles(t, VerifyOptions{Head: &Head{Seq: seq, Hash: hash}}, files...)
	mustIntact(t, rep)
	if rep.Events != 60 || len(files) < 4 {
		t.Fatalf("%d events in %d files", rep.Events, len(files))
	}
}

func TestOversizedCallIsRecordedWithoutArguments(t *testing.T) {
	l, path := openFileLogger(t, sink.FileOptions{})
	call := sampleCall(1)
	call.Tool.Arguments["blob"] = strings.Repeat("x", MaxEventBytes)
	err := l.Decision(ctx, DecisionEvent{Call: call, Err: &ErrorInfo{Code: "invalid_input", Message: "call too large"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	line := readLines(t, path)[0]
	if len(line) > 4096 || !strings.Contains(line, `"erased":["/input/principal/roles","/input/tool/annotations","/input/tool/arguments"]`) ||
		!strings.Contains(line, `"input":{"principal":{"id":"alice"},"tool":{"name":"http.get"}}`) {
		t.Fatalf("%d bytes: %.600s", len(line), line)
	}
	mustIntact(t, verifyFiles(t, VerifyOptions{}, path))
}

// TestOversizedOutcomeIsShrunk: a tool error is recorded from err.Error(),
// unbounded; past MaxEventBytes its message is cut, so the line stays one
// that Verify and package query read back.
func TestOversizedOutcomeIsShrunk(t *testing.T) {
	l, path := openFileLogger(t, sink.FileOptions{})
	huge := "tool failed: " + strings.Repeat("x", 10<<20)
	ev := OutcomeEvent{DecisionID: "dec-1", Tool: "shell.exec", Principal: "bob", ExitCode: 1, Err: &ErrorInfo{Code: "tool_error", Message: huge}}
	if err := l.Outcome(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := l.Outcome(ctx, OutcomeEvent{DecisionID: "dec-2", Tool: "shell.exec", Principal: "bob"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if len(ev.Err.Message) != len(huge) {
		t.Fatal("the caller's event was modified")
	}
	mustIntact(t, verifyFiles(t, VerifyOptions{}, path))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var got []*query.Entry
	skipped, err := query.Read(f, "audit.jsonl", func(e *query.Entry) error {
		got = append(got, e)
		return nil
	})
	if err != nil || skipped != 0 || len(got) != 2 {
		t.Fatalf("query read: %v, %d skipped, %d entries", err, skipped, len(got))
	}
	e := got[0]
	if e.Type != TypeOutcome || e.DecisionID != "dec-1" || e.Tool != "shell.exec" || e.Principal != "bob" || e.ExitCode != 1 ||
		e.ErrorCode != "tool_error" || !strings.HasPrefix(e.ErrorMessage, "tool failed: xxx") || len(e.ErrorMessage) > shrunkMessageBytes {
		t.Fatalf("entry %+v (message %d bytes)", e, len(e.ErrorMessage))
	}
	if len(e.Raw) > 2*shrunkMessageBytes {
		t.Fatalf("line of %d bytes", len(e.Raw))
	}
}
