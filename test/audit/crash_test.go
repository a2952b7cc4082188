package audit_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/toolgate/toolgate/audit"
)

// Crash test sizes: events of 3 MiB make each write(2) long enough that a
// SIGKILL often lands inside one (about one kill in six, measured); ten
// rounds each kill a new writer.
const (
	crashPad      = 3 << 20
	crashRounds   = 10
	crashMinDelay = 30 * time.Millisecond
	crashJitter   = 100 * time.Millisecond
)

func crashConfig(path string) audit.Config {
	return audit.Config{Sink: audit.SinkFile, Path: path, Fsync: audit.FsyncModeNever}
}

// runWriter is the child: it writes big events until it is killed. The
// detector pass is off so that more of its time goes to write(2).
func runWriter(path string) error {
	l, err := audit.Open(crashConfig(path), audit.WithDetector(nil))
	if err != nil {
		return err
	}
	if err := decision(l, 0, 10); err != nil {
		return err
	}
	fmt.Println("ready")
	for i := 1; ; i++ {
		if err := decision(l, i, crashPad); err != nil {
			return err
		}
	}
}

// TestKillMidWrite kills writers with SIGKILL while they write. After each
// kill the log must verify, apart from at most a torn last line; the next
// writer must cut that line off and continue the chain.
func TestKillMidWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	var torn, events int
	for round := 0; round < crashRounds; round++ {
		killWriter(t, path, crashMinDelay+rand.N(crashJitter))
		rep := verify(t, audit.VerifyOptions{}, path)
		if rep.Break != nil {
			t.Fatalf("round %d: %v", round, rep.Break)
		}
		if len(rep.Torn) > 0 {
			torn++
			if tl := rep.Torn[0]; tl.Line != rep.Events+1 || tl.Bytes == 0 {
				t.Fatalf("round %d: torn line %+v after %d events", round, tl, rep.Events)
			}
		}
		if rep.Events <= events {
			t.Fatalf("round %d: %d events, had %d: the writer did not continue the chain", round, rep.Events, events)
		}
		events = rep.Events
	}
	l, err := audit.Open(crashConfig(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := decision(l, 0, 10); err != nil {
		t.Fatal(err)
	}
	seq, hash := l.Head()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	rep := verify(t, audit.VerifyOptions{Head: &audit.Head{Seq: seq, Hash: hash}}, path)
	if err := rep.Err(); err != nil || rep.Events != events+1 {
		t.Fatalf("after recovery: %v, %d events, want %d", err, rep.Events, events+1)
	}
	if frags, _ := filepath.Glob(path + ".torn-*"); len(frags) != torn {
		t.Fatalf("%d torn lines, %d kept fragments", torn, len(frags))
	}
	t.Logf("%d of %d kills tore a line; %d events verified", torn, crashRounds, rep.Events)
}

func killWriter(t *testing.T, path string, after time.Duration) {
	t.Helper()
	cmd := child(t, "writer", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if ready, err := bufio.NewReader(out).ReadString('\n'); err != nil || ready != "ready\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("writer did not start: %q %v", ready, err)
	}
	time.Sleep(after)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // "signal: killed", as intended
}
