package audit_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/toolgate/toolgate/audit"
)

// Disk-full sizes: the limit holds ~50 big events; after the first failure
// the writer tries small events, which may still fit.
const (
	fullLimit    = 1 << 20
	fullBigPad   = 20 << 10
	fullSmallPad = 100
	fullAttempts = 120
)

// runFileSizeLimited is the child: under RLIMIT_FSIZE it writes until writes
// fail, and reports what it saw. Go ignores SIGXFSZ, so a write past the
// limit fails with EFBIG (or comes back short) instead of killing it.
func runFileSizeLimited(path string) error {
	lim := syscall.Rlimit{Cur: fullLimit, Max: fullLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	l, err := audit.Open(audit.Config{Sink: audit.SinkFile, Path: path, Fsync: audit.FsyncModeAlways})
	if err != nil {
		return err
	}
	r := fillUp(l)
	r.Seq, r.Hash = l.Head()
	_ = l.Close() // may fail on the full disk; r already says what was written
	return r.print()
}

// fillUp writes until the log is full, then keeps trying small events.
func fillUp(l *audit.Logger) childResult {
	var r childResult
	for i := 0; i < fullAttempts; i++ {
		pad := fullBigPad
		if r.Failed > 0 {
			pad = fullSmallPad
		}
		err := decision(l, i, pad)
		var we *audit.WriteError
		switch {
		case err == nil:
			r.OK++
		case errors.As(err, &we):
			r.Failed++
			r.Errors = append(r.Errors, err.Error())
		default:
			r.Errors = append(r.Errors, "unexpected: "+err.Error())
		}
	}
	return r
}

// TestFileSizeLimitRefusesAndKeepsTheChain: writes past RLIMIT_FSIZE fail
// (the coordinator refuses those calls), leave no partial line, and the
// chain stays consistent: what was acknowledged is exactly what verifies.
func TestFileSizeLimitRefusesAndKeepsTheChain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	out, err := child(t, "fsize", path).Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	var r childResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("child output %q: %v", out, err)
	}
	checkFull(t, path, r)
	if st, _ := os.Stat(path); st.Size() > fullLimit {
		t.Fatalf("file %d bytes past the limit", st.Size())
	}
}

// TestFullFilesystemRefusesAndKeepsTheChain does the same on a real full
// filesystem: a small tmpfs (needs root and mount permission).
func TestFullFilesystemRefusesAndKeepsTheChain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); the RLIMIT_FSIZE test covers a full disk", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	path := filepath.Join(dir, "audit.jsonl")
	l, err := audit.Open(audit.Config{Sink: audit.SinkFile, Path: path, Fsync: audit.FsyncModeAlways})
	if err != nil {
		t.Fatal(err)
	}
	r := fillUp(l)
	r.Seq, r.Hash = l.Head()
	_ = l.Close() // may fail on the full disk; r already says what was written
	checkFull(t, path, r)
}

func checkFull(t *testing.T, path string, r childResult) {
	t.Helper()
	if r.OK == 0 || r.Failed == 0 {
		t.Fatalf("want both written and refused events: %+v", r)
	}
	for _, e := range r.Errors {
		if !containsAny(e, "file too large", "no space left", "short write") {
			t.Fatalf("unexpected error: %s", e)
		}
	}
	rep := verify(t, audit.VerifyOptions{Head: &audit.Head{Seq: r.Seq, Hash: r.Hash}}, path)
	if err := rep.Err(); err != nil {
		t.Fatalf("log after a full disk: %v", err)
	}
	if rep.Events != r.OK {
		t.Fatalf("%d events verify, %d were acknowledged", rep.Events, r.OK)
	}
	t.Logf("%d events written, %d refused; first refusal: %s", r.OK, r.Failed, r.Errors[0])
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
