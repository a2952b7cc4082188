package sink

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// rotatedTime is the timestamp in a rotated file's name. It sorts in time
// order, so the newest rotated file is the greatest name.
const rotatedTime = "20060102T150405.000000000Z"

// lockSuffix names the lock file that keeps a second writer off a log.
const lockSuffix = ".lock"

// ErrLocked is returned when another writer holds the log.
var ErrLocked = errors.New("sink: log is in use by another writer")

func nowNano() int64 { return time.Now().UnixNano() }

// File is an append-only log file rotated by size. The active file keeps its
// configured name; a full one is renamed to "<stem>-<UTC time><ext>"
// (audit.jsonl → audit-20261126T100000.000000000Z.jsonl). The chain runs on
// across files: the Logger's state does not depend on the file.
//
// One process writes a log at a time, enforced by flock on "<path>.lock".
type File struct {
	mu       sync.Mutex
	path     string
	maxBytes int64
	cur      *appendFile
	lock     *os.File
}

// FileOptions configures a File.
type FileOptions struct {
	// MaxBytes rotates the file before a line would take it past this size;
	// 0 never rotates. A single line larger than MaxBytes still gets written,
	// alone in its file.
	MaxBytes int64
}

// OpenFile opens (or creates) the log at path.
func OpenFile(path string, opts FileOptions) (*File, error) {
	if path == "" {
		return nil, errors.New("sink: empty file path")
	}
	if opts.MaxBytes < 0 {
		return nil, fmt.Errorf("sink: negative max size %d", opts.MaxBytes)
	}
	lock, err := lockFile(path + lockSuffix)
	if err != nil {
		return nil, err
	}
	cur, err := openAppend(path)
	if err != nil {
		_ = lock.Close()
		return nil, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		_ = cur.close()
		_ = lock.Close()
		return nil, err
	}
	return &File{path: path, maxBytes: opts.MaxBytes, cur: cur, lock: lock}, nil
}

func lockFile(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, fmt.Errorf("sink: lock %s: %w", path, err)
	}
	return f, nil
}

// Write appends one line, rotating first when it would not fit.
func (s *File) Write(line []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return os.ErrClosed
	}
	if s.maxBytes > 0 && s.cur.size > 0 && s.cur.size+int64(len(line)) > s.maxBytes {
		if err := s.rotate(); err != nil {
			return err
		}
	}
	return s.cur.write(line)
}

// rotate syncs and renames the active file, then opens a fresh one. The old
// file is synced whatever the fsync mode: the rename must not be durable
// before the lines it carries.
func (s *File) rotate() error {
	if err := s.cur.sync(); err != nil {
		return fmt.Errorf("sink: rotate: %w", err)
	}
	name, err := s.rotatedName()
	if err != nil {
		return err
	}
	if err := os.Rename(s.path, name); err != nil {
		return fmt.Errorf("sink: rotate: %w", err)
	}
	// The file was synced above, so a failed close cannot lose lines.
	_ = s.cur.close()
	s.cur = nil
	cur, err := openAppend(s.path)
	if err != nil {
		return err
	}
	s.cur = cur
	return syncDir(filepath.Dir(s.path))
}

func (s *File) rotatedName() (string, error) {
	ext := filepath.Ext(s.path)
	stem := strings.TrimSuffix(s.path, ext)
	for t := time.Now().UTC(); ; t = t.Add(time.Nanosecond) {
		name := stem + "-" + t.Format(rotatedTime) + ext
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name, nil
		} else if err != nil {
			return "", fmt.Errorf("sink: rotate: %w", err)
		}
	}
}

// Rotated lists the rotated files of the log, oldest first.
func (s *File) Rotated() ([]string, error) {
	ext := filepath.Ext(s.path)
	stem := strings.TrimSuffix(s.path, ext)
	matches, err := filepath.Glob(globEscape(stem) + "-*" + globEscape(ext))
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	var out []string
	for _, m := range matches {
		ts := strings.TrimSuffix(strings.TrimPrefix(m, stem+"-"), ext)
		if _, err := time.Parse(rotatedTime, ts); err == nil {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

// LastLine implements audit.Resumer: the last line of the active file, or of
// the newest rotated file when the active one is empty (a crash right after
// a rotation).
func (s *File) LastLine() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil, os.ErrClosed
	}
	if line, err := s.cur.lastLine(); line != nil || err != nil {
		return line, err
	}
	rotated, err := s.Rotated()
	if err != nil || len(rotated) == 0 {
		return nil, err
	}
	old, err := openAppend(rotated[len(rotated)-1])
	if err != nil {
		return nil, err
	}
	defer func() { _ = old.close() }()
	return old.lastLine()
}

// Sync flushes the active file.
func (s *File) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return os.ErrClosed
	}
	return s.cur.sync()
}

// Close syncs and closes the file and releases the lock.
func (s *File) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	err := errors.Join(s.cur.sync(), s.cur.close(), s.lock.Close())
	s.cur = nil
	return err
}
