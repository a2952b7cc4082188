package audit

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/toolgate/toolgate/audit/sink"
)

// memSink keeps lines in memory and fails the writes or syncs a test picks.
type memSink struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	writes    int
	syncs     int
	failWrite func(n int) error // n counts from 1
	failSync  func(n int) error
	syncDelay time.Duration
}

func (m *memSink) Write(line []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes++
	if m.failWrite != nil {
		if err := m.failWrite(m.writes); err != nil {
			return err
		}
	}
	m.buf.Write(line)
	return nil
}

func (m *memSink) Sync() error {
	time.Sleep(m.syncDelay)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.syncs++
	if m.failSync != nil {
		return m.failSync(m.syncs)
	}
	return nil
}

func (m *memSink) Close() error { return nil }

func (m *memSink) verify(t *testing.T) *Report {
	t.Helper()
	m.mu.Lock()
	data := append([]byte(nil), m.buf.Bytes()...)
	m.mu.Unlock()
	rep, err := Verify(VerifyOptions{}, Source{Name: "mem", R: bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestFailedWriteIsNotCounted(t *testing.T) {
	m := &memSink{failWrite: func(n int) error {
		if n == 3 {
			return syscall.ENOSPC
		}
		return nil
	}}
	l, err := New(m, WithFsync(FsyncNever))
	if err != nil {
		t.Fatal(err)
	}
	var failed int
	for i := 0; i < 5; i++ {
		err := l.Decision(ctx, DecisionEvent{Call: sampleCall(i), Decision: allowDecision("d")})
		var we *WriteError
		if errors.As(err, &we) {
			if we.Op != "write" || we.Seq != 3 || !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("error %v", err)
			}
			failed++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	rep := m.verify(t)
	mustIntact(t, rep)
	if failed != 1 || rep.Events != 4 || rep.LastSeq != 4 {
		t.Fatalf("failed %d, report %+v", failed, rep)
	}
}

func TestFailedSyncIsSticky(t *testing.T) {
	m := &memSink{failSync: func(n int) error {
		if n == 2 {
			return syscall.EIO
		}
		return nil
	}}
	l, err := New(m, WithFsync(FsyncAlways))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(1)}); err != nil {
		t.Fatal(err)
	}
	if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(2)}); !errors.Is(err, syscall.EIO) {
		t.Fatalf("second event: %v", err)
	}
	if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(3)}); !errors.Is(err, ErrFailed) {
		t.Fatalf("after a failed fsync: %v", err)
	}
	// The event whose sync failed was written and stays chained.
	rep := m.verify(t)
	mustIntact(t, rep)
	if rep.Events != 2 {
		t.Fatalf("events %d", rep.Events)
	}
}

func TestIntervalSyncFailureRefusesLaterEvents(t *testing.T) {
	m := &memSink{failSync: func(int) error { return syscall.EIO }}
	l, err := New(m, WithFsyncInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(1)}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(2)}); errors.Is(err, ErrFailed) {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("a failed background fsync never refused an event")
}

func TestGroupCommitSharesFsyncs(t *testing.T) {
	m := &memSink{syncDelay: time.Millisecond}
	l, err := New(m, WithFsync(FsyncAlways))
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 16, 20
	runConcurrently(t, writers, each, l)
	rep := m.verify(t)
	mustIntact(t, rep)
	if rep.Events != writers*each {
		t.Fatalf("events %d", rep.Events)
	}
	if m.syncs >= writers*each/2 {
		t.Fatalf("%d fsyncs for %d events: no group commit", m.syncs, writers*each)
	}
	t.Logf("%d events, %d fsyncs", rep.Events, m.syncs)
}

func TestConcurrentWritersMakeOneChain(t *testing.T) {
	l, path := openFileLogger(t, sink.FileOptions{MaxBytes: 64 << 10}, WithCheckpoints(50, testKey()), WithFsync(FsyncNever))
	const writers, each = 16, 100
	runConcurrently(t, writers, each, l)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	seq, hash := l.Head()
	files := rotatedAndActive(t, path)
	if len(files) < 3 {
		t.Fatalf("expected rotation, got %d files", len(files))
	}
	rep := verifyFiles(t, VerifyOptions{PublicKey: testPub(), Head: &Head{Seq: seq, Hash: hash}}, files...)
	mustIntact(t, rep)
	if got := rep.Events - rep.Checkpoints; got != writers*each {
		t.Fatalf("%d events, want %d", got, writers*each)
	}
	if rep.Signed != rep.Checkpoints || rep.Checkpoints < writers*each/50 {
		t.Fatalf("checkpoints %d signed %d", rep.Checkpoints, rep.Signed)
	}
}

// runConcurrently has writers goroutines each record each decision and
// outcome pairs, failing the test on any error.
func runConcurrently(t *testing.T, writers, each int, l *Logger) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				var err error
				if i%2 == 0 {
					err = l.Decision(ctx, DecisionEvent{Call: sampleCall(i), Decision: allowDecision(fmt.Sprint(w, "-", i))})
				} else {
					err = l.Outcome(ctx, OutcomeEvent{DecisionID: fmt.Sprint(w, "-", i), Tool: "http.get", Principal: "alice"})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
