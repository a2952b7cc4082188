package sink

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

func spoolWith(t *testing.T, dir string, n int) *spool {
	t.Helper()
	s, err := openSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := s.file.write(line(i)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestSpoolCursorSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	s := spoolWith(t, dir, 3)
	if err := s.setCursor(int64(len(line(0)))); err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	s = spoolWith(t, dir, 0)
	defer func() { _ = s.close() }()
	if s.cursor != int64(len(line(0))) || s.pending() != int64(2*len(line(0))) {
		t.Fatalf("cursor %d pending %d", s.cursor, s.pending())
	}
	var got [][]byte
	if err := s.lines(s.cursor, s.file.size, func(l []byte) error { got = append(got, append([]byte(nil), l...)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !bytes.Equal(got[0], bytes.TrimSuffix(line(1), []byte("\n"))) {
		t.Fatalf("lines from cursor: %q", got)
	}
}

func TestSpoolBadCursorRestartsFromZero(t *testing.T) {
	for name, c := range map[string]int64{"past the end": 1 << 20, "mid-line": 5, "negative": -1} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := spoolWith(t, dir, 2).close(); err != nil {
				t.Fatal(err)
			}
			var b [cursorBytes]byte
			binary.LittleEndian.PutUint64(b[:], uint64(c))
			if err := os.WriteFile(filepath.Join(dir, cursorName), b[:], fileMode); err != nil {
				t.Fatal(err)
			}
			s := spoolWith(t, dir, 0)
			defer func() { _ = s.close() }()
			if s.cursor != 0 {
				t.Fatalf("cursor %d", s.cursor)
			}
		})
	}
}

func TestSpoolCompactionKeepsTheLastLine(t *testing.T) {
	dir := t.TempDir()
	s := spoolWith(t, dir, 3)
	if err := s.setCursor(s.file.size); err != nil {
		t.Fatal(err)
	}
	if err := s.compact(); err != nil {
		t.Fatal(err)
	}
	if s.file.size != 0 || s.cursor != 0 {
		t.Fatalf("size %d cursor %d", s.file.size, s.cursor)
	}
	last, err := s.lastLine()
	if err != nil || !bytes.Equal(last, bytes.TrimSuffix(line(2), []byte("\n"))) {
		t.Fatalf("last line %q %v", last, err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	// After a restart too, and new lines take over from the head.
	s = spoolWith(t, dir, 1)
	defer func() { _ = s.close() }()
	if last, _ := s.lastLine(); !bytes.Equal(last, bytes.TrimSuffix(line(0), []byte("\n"))) {
		t.Fatalf("last line after new write %q", last)
	}
}

func TestEventIDFromLine(t *testing.T) {
	l := []byte(`{"type":"decision","seq":1,"prev_hash":"00","event_id":"abc-123","x":1}`)
	if got := eventID(l); got != "abc-123" {
		t.Fatalf("got %q", got)
	}
	if got := eventID([]byte(`{"no":"id"}`)); len(got) != 64 {
		t.Fatalf("fallback id %q", got)
	}
}
