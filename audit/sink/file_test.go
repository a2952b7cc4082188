package sink

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func line(i int) []byte {
	return []byte(fmt.Sprintf(`{"n":%d,"pad":"%s"}`+"\n", i, strings.Repeat("x", 40)))
}

func openTestFile(t *testing.T, max int64) (*File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "logs", "audit.jsonl")
	f, err := OpenFile(path, FileOptions{MaxBytes: max})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, path
}

func TestFileRotatesBySizeAndKeepsEveryLine(t *testing.T) {
	f, path := openTestFile(t, 200)
	const n = 20
	for i := 0; i < n; i++ {
		if err := f.Write(line(i)); err != nil {
			t.Fatal(err)
		}
	}
	rotated, err := f.Rotated()
	if err != nil {
		t.Fatal(err)
	}
	if len(rotated) < 5 {
		t.Fatalf("only %d rotated files", len(rotated))
	}
	var all []byte
	for _, p := range append(rotated, path) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 200 {
			t.Errorf("%s has %d bytes, max 200", p, len(b))
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != fileMode {
			t.Errorf("%s mode %v", p, st.Mode())
		}
		all = append(all, b...)
	}
	var want []byte
	for i := 0; i < n; i++ {
		want = append(want, line(i)...)
	}
	if !bytes.Equal(all, want) {
		t.Fatal("rotation lost, duplicated or reordered lines")
	}
}

func TestFileLastLineAfterRotation(t *testing.T) {
	f, _ := openTestFile(t, 100)
	if err := f.Write(line(1)); err != nil {
		t.Fatal(err)
	}
	if err := f.Write(line(2)); err != nil { // rotates: line 1 is alone in the rotated file
		t.Fatal(err)
	}
	got, err := f.LastLine()
	if err != nil || !bytes.Equal(got, bytes.TrimSuffix(line(2), []byte("\n"))) {
		t.Fatalf("last line %q %v", got, err)
	}
	// An empty active file (a crash right after rotating) resumes from the
	// newest rotated file.
	if err := f.Write(line(3)); err != nil {
		t.Fatal(err)
	}
	if err := f.cur.f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	f.cur.size = 0
	got, err = f.LastLine()
	if err != nil || !bytes.Equal(got, bytes.TrimSuffix(line(2), []byte("\n"))) {
		t.Fatalf("last line from rotated file %q %v", got, err)
	}
}

func TestFileRecoversATornTail(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	content := string(line(1)) + string(line(2)) + `{"n":3,"pa`
	if err := os.WriteFile(path, []byte(content), fileMode); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(path, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if err := f.Write(line(4)); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != string(line(1))+string(line(2))+string(line(4)) {
		t.Fatalf("after recovery: %q", b)
	}
	torn, _ := filepath.Glob(path + tornSuffix + "*")
	if len(torn) != 1 {
		t.Fatalf("torn fragment not kept: %v", torn)
	}
	if frag, _ := os.ReadFile(torn[0]); string(frag) != `{"n":3,"pa` {
		t.Fatalf("fragment %q", frag)
	}
}

func TestFileOneWriterAtATime(t *testing.T) {
	_, path := openTestFile(t, 0)
	if _, err := OpenFile(path, FileOptions{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v", err)
	}
}

func TestFileRejectsBadOptions(t *testing.T) {
	if _, err := OpenFile("", FileOptions{}); err == nil {
		t.Error("empty path accepted")
	}
	if _, err := OpenFile(filepath.Join(t.TempDir(), "a"), FileOptions{MaxBytes: -1}); err == nil {
		t.Error("negative size accepted")
	}
}

func TestFileClosed(t *testing.T) {
	f, _ := openTestFile(t, 0)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Write(line(1)); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("write after close: %v", err)
	}
}

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestWriterReportsShortWrites(t *testing.T) {
	if err := NewWriter(shortWriter{}).Write(line(1)); !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("got %v", err)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write(line(1)); err != nil || buf.String() != string(line(1)) {
		t.Fatalf("%v %q", err, buf.String())
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
}
