package audit_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/audit/sink"
)

const (
	natsServerBin  = "/usr/sbin/nats-server"
	sharedNATSAddr = "127.0.0.1:4222"
	sharedNATS     = "nats://" + sharedNATSAddr
	natsWait       = 20 * time.Second
)

// uniqueName names a stream and subject no other test run uses.
func uniqueName(t *testing.T) (stream, subject string) {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	return "AUDIT_TEST_" + id, "toolgate.audit.test." + id
}

// jsAdmin connects to url for the test's own inspection and cleanup.
func jsAdmin(t *testing.T, url string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url, nats.Timeout(time.Second), nats.RetryOnFailedConnect(true), nats.MaxReconnects(-1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// streamLines returns the data of every message in stream, in stream order,
// and checks each Nats-Msg-Id is its line's event id.
func streamLines(t *testing.T, js jetstream.JetStream, name string) [][]byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), natsWait)
	defer cancel()
	st, err := js.Stream(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if id := m.Header.Get(jetstream.MsgIDHeader); !bytes.Contains(m.Data, []byte(`"event_id":"`+id+`"`)) {
			t.Fatalf("message %d: Nats-Msg-Id %q is not its event id", seq, id)
		}
		out = append(out, m.Data)
	}
	return out
}

// verifyShipped checks that the shipped lines form one intact chain of n
// events: events in = events out, in order, none twice.
func verifyShipped(t *testing.T, lines [][]byte, n int) {
	t.Helper()
	var buf bytes.Buffer
	for _, l := range lines {
		buf.Write(l)
		buf.WriteByte('\n')
	}
	rep, err := audit.Verify(audit.VerifyOptions{}, audit.Source{Name: "stream", R: &buf})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil {
		t.Fatalf("shipped events do not form one chain: %v", err)
	}
	if rep.Events != n || len(lines) != n {
		t.Fatalf("%d events in, %d out (%d verified)", n, len(lines), rep.Events)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(natsWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func openNATSLogger(t *testing.T, o sink.NATSOptions) (*audit.Logger, *sink.NATS) {
	t.Helper()
	s, err := sink.OpenNATS(o)
	if err != nil {
		t.Fatal(err)
	}
	l, err := audit.New(s, audit.WithFsync(audit.FsyncNever))
	if err != nil {
		_ = s.Close()
		t.Fatal(err)
	}
	return l, s
}

func writeN(t *testing.T, l *audit.Logger, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if err := decision(l, i, 64); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
}

// requireSharedNATS fails the test when the machine's NATS server does not
// accept connections: as with Redis (internal/testredis), CI provides it,
// and a test that skipped without it would pass having checked nothing.
func requireSharedNATS(t *testing.T) {
	t.Helper()
	c, err := net.DialTimeout("tcp", sharedNATSAddr, time.Second)
	if err != nil {
		t.Fatalf("no NATS server at %s (the audit tests need it; start it as .ci/run does): %v", sharedNATS, err)
	}
	_ = c.Close()
}

// requireNATSServerBin fails the test when nats-server, which the outage
// tests start and kill themselves, is not installed.
func requireNATSServerBin(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(natsServerBin); err != nil {
		t.Fatalf("%s is needed to run a NATS server this test can kill (install nats-server): %v", natsServerBin, err)
	}
}

// TestNATSShipsEveryEventInOrder uses the machine's JetStream server.
func TestNATSShipsEveryEventInOrder(t *testing.T) {
	requireSharedNATS(t)
	stream, subject := uniqueName(t)
	js := jsAdmin(t, sharedNATS)
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), stream) })
	l, s := openNATSLogger(t, sink.NATSOptions{URL: sharedNATS, Stream: stream, Subject: subject, SpoolDir: t.TempDir()})
	const n = 200
	writeN(t, l, 0, n)
	waitFor(t, "all events acknowledged", func() bool { return s.Pending() == 0 && s.Shipped() == n })
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	lines := streamLines(t, js, stream)
	verifyShipped(t, lines, n)
	// A re-sent event is stored once: the stream deduplicates by event id.
	msg := &nats.Msg{Subject: subject, Data: lines[0], Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, eventIDOf(t, lines[0]))
	ack, err := js.PublishMsg(context.Background(), msg)
	if err != nil || !ack.Duplicate {
		t.Fatalf("re-sent event: ack %+v err %v", ack, err)
	}
}

func eventIDOf(t *testing.T, line []byte) string {
	t.Helper()
	_, rest, ok := bytes.Cut(line, []byte(`"event_id":"`))
	id, _, ok2 := bytes.Cut(rest, []byte(`"`))
	if !ok || !ok2 {
		t.Fatalf("no event id in %s", line)
	}
	return string(id)
}

// natsServer is a JetStream server this test owns, so it can kill it.
type natsServer struct {
	cmd  *exec.Cmd
	port int
	dir  string
}

func startNATS(t *testing.T, port int, dir string) *natsServer {
	t.Helper()
	requireNATSServerBin(t)
	cmd := exec.Command(natsServerBin, "-js", "-a", "127.0.0.1", "-p", strconv.Itoa(port), "-sd", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &natsServer{cmd: cmd, port: port, dir: dir}
	t.Cleanup(s.kill)
	waitFor(t, "nats-server to listen", func() bool {
		c, err := net.DialTimeout("tcp", s.addr(), 100*time.Millisecond)
		if err == nil {
			_ = c.Close()
		}
		return err == nil
	})
	return s
}

func (s *natsServer) addr() string { return fmt.Sprintf("127.0.0.1:%d", s.port) }
func (s *natsServer) url() string  { return "nats://" + s.addr() }

func (s *natsServer) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

// TestNATSOutageAndRecovery kills the server mid-stream: events keep being
// recorded in the spool, and once the server is back every one of them is
// delivered, in order, once. Then the writer restarts with a lost cursor and
// ships nothing twice.
func TestNATSOutageAndRecovery(t *testing.T) {
	port, store, spool := freePort(t), t.TempDir(), filepath.Join(t.TempDir(), "spool")
	srv := startNATS(t, port, store)
	stream, subject := uniqueName(t)
	opts := sink.NATSOptions{URL: srv.url(), Stream: stream, Subject: subject, SpoolDir: spool, AckTimeout: time.Second, DrainTimeout: time.Second}
	l, s := openNATSLogger(t, opts)
	writeN(t, l, 0, 30)
	waitFor(t, "the first events acknowledged", func() bool { return s.Shipped() == 30 })

	srv.kill()
	writeN(t, l, 30, 70) // recorded while NATS is down
	// The client may hold a publish for up to the ack timeout before it
	// reports the failure: wait for the error rather than a fixed time.
	waitFor(t, "a shipping error recorded during the outage", func() bool { return s.LastError() != "" })
	if s.Shipped() != 30 || s.Pending() == 0 {
		t.Fatalf("during the outage: shipped %d, pending %d bytes", s.Shipped(), s.Pending())
	}

	srv = startNATS(t, port, store)
	waitFor(t, "the backlog delivered", func() bool { return s.Pending() == 0 })
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	js := jsAdmin(t, srv.url())
	verifyShipped(t, streamLines(t, js, stream), 100)

	// Restart with the cursor lost: reconciliation finds the stream's last
	// event in the spool, so nothing is sent again.
	if err := os.Remove(filepath.Join(spool, "spool.cursor")); err != nil {
		t.Fatal(err)
	}
	l, s = openNATSLogger(t, opts)
	writeN(t, l, 100, 5)
	waitFor(t, "the new events acknowledged", func() bool { return s.Pending() == 0 })
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if s.Duplicates() != 0 {
		t.Fatalf("%d events were sent twice", s.Duplicates())
	}
	verifyShipped(t, streamLines(t, js, stream), 105)
}

// TestNATSCompactedSpoolResumesTheChain: a fully shipped spool is emptied,
// and a restarted writer still continues the chain from the kept last line.
func TestNATSCompactedSpoolResumesTheChain(t *testing.T) {
	srv := startNATS(t, freePort(t), t.TempDir())
	stream, subject := uniqueName(t)
	spool := t.TempDir()
	opts := sink.NATSOptions{URL: srv.url(), Stream: stream, Subject: subject, SpoolDir: spool, CompactBytes: 1}
	for round := 0; round < 3; round++ {
		l, s := openNATSLogger(t, opts)
		writeN(t, l, round*10, 10)
		waitFor(t, "events acknowledged", func() bool { return s.Pending() == 0 })
		waitFor(t, "the spool compacted", func() bool {
			st, err := os.Stat(filepath.Join(spool, "spool.jsonl"))
			return err == nil && st.Size() == 0
		})
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	verifyShipped(t, streamLines(t, jsAdmin(t, srv.url()), stream), 30)
}
