package audit

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/toolgate/toolgate/audit/sink"
	"github.com/toolgate/toolgate/engine"
)

// testKeySeed makes the checkpoint key of the golden files reproducible. It
// signs test data only.
var testKeySeed = sha256.Sum256([]byte("toolgate audit test checkpoint key"))

func testKey() ed25519.PrivateKey { return ed25519.NewKeyFromSeed(testKeySeed[:]) }

func testPub() ed25519.PublicKey { return testKey().Public().(ed25519.PublicKey) }

// testHMACKey is 32 bytes, the minimum.
var testHMACKey = []byte("test-hmac-key-0123456789abcdefgh")

// stepClock starts at a fixed time and advances 1ms per reading.
func stepClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Millisecond)
		return t
	}
}

// countingRandom is a reproducible byte stream: SHA-256 of a counter.
type countingRandom struct {
	n   uint64
	buf []byte
}

func (r *countingRandom) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) {
		var c [8]byte
		binary.BigEndian.PutUint64(c[:], r.n)
		r.n++
		sum := sha256.Sum256(c[:])
		r.buf = append(r.buf, sum[:]...)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// wordDetector finds words starting "sk_live_" — a stand-in for the engine's
// detector where a test must not depend on its exact patterns.
func wordDetector(s string) []Match {
	var out []Match
	off := 0
	for {
		i := strings.Index(s[off:], "sk_live_")
		if i < 0 {
			return out
		}
		start := off + i
		end := start
		for end < len(s) && s[end] != ' ' && s[end] != '"' {
			end++
		}
		out = append(out, Match{Kind: "test_key", Start: start, End: end})
		off = end
	}
}

// openFileLogger opens a Logger on a file sink in a temporary directory.
func openFileLogger(t testing.TB, fo sink.FileOptions, opts ...Option) (*Logger, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	return reopen(t, path, fo, opts...), path
}

func reopen(t testing.TB, path string, fo sink.FileOptions, opts ...Option) *Logger {
	t.Helper()
	s, err := sink.OpenFile(path, fo)
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// verifyFiles verifies paths in chain order.
func verifyFiles(t testing.TB, opts VerifyOptions, paths ...string) *Report {
	t.Helper()
	ordered, err := OrderFiles(paths)
	if err != nil {
		t.Fatal(err)
	}
	var srcs []Source
	for _, p := range ordered {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = f.Close() })
		srcs = append(srcs, Source{Name: filepath.Base(p), R: f})
	}
	rep, err := Verify(opts, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func mustIntact(t testing.TB, rep *Report) {
	t.Helper()
	if err := rep.Err(); err != nil {
		t.Fatalf("chain not intact: %v (%+v)", err, rep)
	}
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// sampleCall is an allowed call with a nested argument tree.
func sampleCall(i int) engine.Call {
	return engine.Call{
		Tool: engine.Tool{Name: "http.get", Server: "web", Arguments: map[string]any{
			"url":     "https://api.example.com/v1/items",
			"headers": map[string]any{"Accept": "application/json"},
			"page":    i,
		}},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}, Tenant: "acme"},
		Session:   &engine.Session{ID: "s-42", Agent: "codex", CallIndex: int64(i)},
		Request:   &engine.Request{ID: "r-1", Source: "mcp"},
	}
}

func allowDecision(id string) engine.Decision {
	return engine.Decision{
		ID: id, Allow: true, Revision: "rev-1",
		Sandbox: engine.Sandbox{TimeoutMS: 5000, Network: engine.NetworkNone},
		Audit:   engine.AuditSpec{Level: "info"},
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// rotatedAndActive lists the rotated files of the log at path and the
// active file.
func rotatedAndActive(t testing.TB, path string) []string {
	t.Helper()
	ext := filepath.Ext(path)
	rotated, err := filepath.Glob(strings.TrimSuffix(path, ext) + "-*" + ext)
	if err != nil {
		t.Fatal(err)
	}
	return append(rotated, path)
}
