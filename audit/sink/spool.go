package sink

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Spool file names inside the spool directory.
const (
	spoolName  = "spool.jsonl"  // lines not yet known to be shipped, then some
	cursorName = "spool.cursor" // offset of the first line not acknowledged
	headName   = "spool.head"   // the last line, kept across compaction
)

// cursorBytes is the size of the cursor file: one little-endian int64,
// written in place with one pwrite.
const cursorBytes = 8

// spool is the write-ahead file of the NATS sink: every line is appended
// here (the event is then recorded), and a shipper publishes from the cursor
// on. It is not safe for concurrent use; NATS serializes access.
type spool struct {
	dir    string
	file   *appendFile
	cursor int64
	cf     *os.File
}

func openSpool(dir string) (*spool, error) {
	file, err := openAppend(filepath.Join(dir, spoolName))
	if err != nil {
		return nil, err
	}
	cf, err := os.OpenFile(filepath.Join(dir, cursorName), os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		_ = file.close()
		return nil, fmt.Errorf("sink: %w", err)
	}
	s := &spool{dir: dir, file: file, cf: cf}
	if err := s.loadCursor(); err != nil {
		_ = s.close()
		return nil, err
	}
	return s, syncDir(dir)
}

// loadCursor reads the cursor. One past the end of the spool (a crash
// between compaction's truncate and the cursor reset) or off a line boundary
// restarts from 0: re-shipping is deduplicated, skipping would lose events.
func (s *spool) loadCursor() error {
	var b [cursorBytes]byte
	n, err := s.cf.ReadAt(b[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("sink: read cursor: %w", err)
	}
	if n < cursorBytes {
		return s.setCursor(0)
	}
	c := int64(binary.LittleEndian.Uint64(b[:]))
	if c < 0 || c > s.file.size || !s.atLineStart(c) {
		return s.setCursor(0)
	}
	s.cursor = c
	return nil
}

func (s *spool) atLineStart(off int64) bool {
	if off == 0 {
		return true
	}
	var b [1]byte
	_, err := s.file.f.ReadAt(b[:], off-1)
	return err == nil && b[0] == '\n'
}

// setCursor stores the cursor without fsync: a cursor lost in a machine
// crash only re-ships acknowledged lines, which JetStream deduplicates.
func (s *spool) setCursor(c int64) error {
	var b [cursorBytes]byte
	binary.LittleEndian.PutUint64(b[:], uint64(c))
	if _, err := s.cf.WriteAt(b[:], 0); err != nil {
		return fmt.Errorf("sink: write cursor: %w", err)
	}
	s.cursor = c
	return nil
}

// pending is the number of spooled bytes not yet acknowledged.
func (s *spool) pending() int64 { return s.file.size - s.cursor }

// lines reads the lines of the spool between offsets from and to, newline
// stripped, calling fn for each; fn returning an error stops the read. The
// caller advances the cursor.
func (s *spool) lines(from, to int64, fn func(line []byte) error) error {
	r := bufio.NewReaderSize(io.NewSectionReader(s.file.f, from, to-from), readChunk)
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return nil // the spool ends in whole lines; EOF is the end
		}
		if err != nil {
			return fmt.Errorf("sink: read spool: %w", err)
		}
		if err := fn(bytes.TrimSuffix(line, []byte{'\n'})); err != nil {
			return err
		}
	}
}

// compact empties a fully shipped spool, first keeping its last line in the
// head file so that a restarted Logger can continue the chain.
func (s *spool) compact() error {
	last, err := s.file.lastLine()
	if err != nil || last == nil {
		return err
	}
	if err := replaceFile(filepath.Join(s.dir, headName), append(last, '\n')); err != nil {
		return err
	}
	if err := s.file.f.Truncate(0); err != nil {
		return fmt.Errorf("sink: compact spool: %w", err)
	}
	s.file.size = 0
	if err := s.file.sync(); err != nil {
		return err
	}
	return s.setCursor(0)
}

// lastLine is the last line spooled, from the head file once compacted.
func (s *spool) lastLine() ([]byte, error) {
	if line, err := s.file.lastLine(); line != nil || err != nil {
		return line, err
	}
	b, err := os.ReadFile(filepath.Join(s.dir, headName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	line, ok := bytes.CutSuffix(b, []byte{'\n'})
	if !ok {
		return nil, fmt.Errorf("sink: %s is not one complete line", headName)
	}
	return line, nil
}

func (s *spool) close() error {
	return errors.Join(s.file.close(), s.cf.Close())
}

// replaceFile atomically replaces path with data: temp file, fsync, rename,
// directory fsync.
func replaceFile(path string, data []byte) error {
	tmp := path + ".tmp"
	_ = os.Remove(tmp)
	if err := writeFileSync(tmp, data); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("sink: %w", err)
	}
	return syncDir(filepath.Dir(path))
}
