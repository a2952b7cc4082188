package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/audit/query"
)

// auditGolden is the reference log of package audit and its tampered copies.
const auditGolden = "../../audit/testdata/verify"

func golden(name string) string { return filepath.Join(auditGolden, name) }

func runAudit(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"audit"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestAuditVerifyExitCodes(t *testing.T) {
	pub := golden("checkpoint.pub")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"intact, signatures checked", []string{"verify", "--pubkey", pub, golden("valid.jsonl")}, exitOK, "ok: 13 events in 1 files, seq 1-13, 4 checkpoints, 4 signatures verified"},
		{"no key", []string{"verify", golden("valid.jsonl")}, exitOK, "note: checkpoint signatures not checked"},
		{"rotated files in any order", []string{"verify", golden("part2.jsonl"), golden("part1.jsonl")}, exitOK, "ok: 13 events in 2 files"},
		{"edited", []string{"verify", golden("edited.jsonl")}, exitAuditBroken, "BROKEN " + golden("edited.jsonl") + ":6: prev_hash"},
		{"deleted", []string{"verify", golden("deleted.jsonl")}, exitAuditBroken, ":4: seq: seq jumps from 3 to 5"},
		{"rewritten, caught by the key", []string{"verify", "--pubkey", pub, golden("rewritten.jsonl")}, exitAuditBroken, ":6: signature"},
		{"truncated, caught by the head", []string{"verify", "--head", "13", golden("truncated.jsonl")}, exitAuditBroken, "truncated"},
		{"torn tail", []string{"verify", golden("torn.jsonl")}, exitAuditTorn, "TORN " + golden("torn.jsonl") + ":13"},
		{"bad head", []string{"verify", "--head", "x", golden("valid.jsonl")}, exitUsage, ""},
		{"missing file", []string{"verify", golden("nope.jsonl")}, exitUsage, ""},
		{"no file", []string{"verify"}, exitUsage, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runAudit(t, c.args...)
			if code != c.code || !strings.Contains(out, c.want) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
		})
	}
}

func TestAuditVerifyJSON(t *testing.T) {
	code, out, _ := runAudit(t, "verify", "--format", "json", golden("reordered.jsonl"))
	var rep struct {
		Events int
		Break  struct {
			File string
			Line int
			Kind string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitAuditBroken {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if rep.Break.Line != 7 || rep.Break.Kind != "seq" || rep.Events != 6 {
		t.Fatalf("report %+v", rep)
	}
}

func TestAuditTailAndQuery(t *testing.T) {
	code, out, _ := runAudit(t, "tail", "-n", "2", golden("valid.jsonl"))
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(rows) != 3 || !strings.HasPrefix(rows[0], "TIME") || !strings.Contains(rows[2], "outcome") {
		t.Fatalf("tail: exit %d\n%s", code, out)
	}
	code, out, _ = runAudit(t, "query", "--denied", "--format", "json", golden("valid.jsonl"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 3 {
		t.Fatalf("query --denied: exit %d\n%s", code, out)
	}
	for _, l := range lines {
		e, err := query.Parse([]byte(l))
		if err != nil || !e.Refused() {
			t.Fatalf("not a refused decision: %s", l)
		}
	}
	code, out, _ = runAudit(t, "query", "--principal", "bob", "--tool", "fs.read_file", golden("valid.jsonl"))
	if code != exitOK || !strings.Contains(out, "denied") || !strings.Contains(out, "path_traversal") || strings.Count(out, "\n") != 2 {
		t.Fatalf("query --principal: exit %d\n%s", code, out)
	}
	code, out, _ = runAudit(t, "query", "--since", "2026-11-26T10:00:17Z", "--type", "outcome", golden("valid.jsonl"))
	if code != exitOK || strings.Count(out, "\n") != 2 || !strings.Contains(out, "exit 0") {
		t.Fatalf("query --since: exit %d\n%s", code, out)
	}
	if code, _, _ := runAudit(t, "query", "--since", "yesterday", golden("valid.jsonl")); code != exitUsage {
		t.Fatalf("bad --since: exit %d", code)
	}
}

func TestAuditQueryWarnsAboutUnreadableLines(t *testing.T) {
	code, _, errOut := runAudit(t, "query", golden("torn.jsonl"))
	if code != exitOK || !strings.Contains(errOut, "skipped 1 unreadable line") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestAuditStats(t *testing.T) {
	code, out, _ := runAudit(t, "stats", golden("part1.jsonl"), golden("part2.jsonl"))
	for _, want := range []string{"decisions: 6 (allowed 3, refused 3), outcomes: 3", "http.get", "path_traversal", "rate_limited", "timeout"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Fatalf("stats: exit %d, missing %q\n%s", code, want, out)
		}
	}
	code, out, _ = runAudit(t, "stats", "--format", "json", golden("valid.jsonl"))
	var st query.Stats
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != exitOK || st.ByTool["shell.exec"].Outcomes != 1 {
		t.Fatalf("stats json: exit %d %v\n%s", code, err, out)
	}
}
