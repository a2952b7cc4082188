// Package sink holds the audit sinks: an append-only file with size
// rotation, a plain writer (stdout) and a NATS JetStream shipper with a local
// spool. Each implements audit.Sink: one line per write(2), nothing of a
// failed line left behind.
package sink

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// File and directory modes: audit logs name principals and tools and are
// readable by their owner only.
const (
	fileMode os.FileMode = 0o600
	dirMode  os.FileMode = 0o700
)

// tornSuffix names the file a torn last line is moved to on open.
const tornSuffix = ".torn-"

// readChunk is the step of backward scans for the last line.
const readChunk = 64 << 10

// ErrBroken is returned once a failed write could not be rolled back: the
// file may end in a partial line, so nothing more is appended to it until it
// is reopened, which repairs the tail.
var ErrBroken = errors.New("sink: file left inconsistent by a failed write")

// appendFile is one open log file. It is not safe for concurrent use.
type appendFile struct {
	path   string
	f      *os.File
	size   int64
	broken error
}

// openAppend opens path for appending, creating it and its directory. A last
// line without its newline (a write torn by a crash) is moved to a
// "<path>.torn-<ns>" file and cut off: no writer ever acknowledged it, and
// appending after it would merge two events into one line.
func openAppend(path string) (*appendFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, fileMode)
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	a := &appendFile{path: path, f: f}
	if err := a.recover(); err != nil {
		_ = f.Close()
		return nil, err
	}
	return a, nil
}

func (a *appendFile) recover() error {
	st, err := a.f.Stat()
	if err != nil {
		return fmt.Errorf("sink: %w", err)
	}
	a.size = st.Size()
	end, err := lastNewline(a.f, a.size)
	if err != nil {
		return err
	}
	if end == a.size {
		return nil
	}
	frag := make([]byte, a.size-end)
	if _, err := a.f.ReadAt(frag, end); err != nil {
		return fmt.Errorf("sink: read torn tail of %s: %w", a.path, err)
	}
	keep := a.path + tornSuffix + strconv.FormatInt(nowNano(), 10)
	if err := writeFileSync(keep, frag); err != nil {
		return err
	}
	if err := a.f.Truncate(end); err != nil {
		return fmt.Errorf("sink: cut torn tail of %s: %w", a.path, err)
	}
	a.size = end
	return a.f.Sync()
}

// lastNewline returns the offset just past the last '\n' of the first size
// bytes of f, 0 when there is none.
func lastNewline(f *os.File, size int64) (int64, error) {
	buf := make([]byte, min(readChunk, size))
	for end := size; end > 0; {
		start := max(0, end-int64(len(buf)))
		chunk := buf[:end-start]
		if _, err := f.ReadAt(chunk, start); err != nil && !errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("sink: %w", err)
		}
		for i := len(chunk) - 1; i >= 0; i-- {
			if chunk[i] == '\n' {
				return start + int64(i) + 1, nil
			}
		}
		end = start
	}
	return 0, nil
}

// lastLine returns the last complete line of the file without its newline,
// nil when the file is empty.
func (a *appendFile) lastLine() ([]byte, error) {
	if a.size == 0 {
		return nil, nil
	}
	start, err := lastNewline(a.f, a.size-1)
	if err != nil {
		return nil, err
	}
	line := make([]byte, a.size-1-start)
	if _, err := a.f.ReadAt(line, start); err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	return line, nil
}

// write appends line with one write(2). On any failure (a short write from a
// full disk or a file size limit, EIO) the file is cut back to its previous
// size so no partial line remains; if that fails too the file is broken.
func (a *appendFile) write(line []byte) error {
	if a.broken != nil {
		return a.broken
	}
	n, err := rawWrite(a.f, line)
	if err == nil && n == len(line) {
		a.size += int64(n)
		return nil
	}
	if err == nil {
		err = io.ErrShortWrite
	}
	if n > 0 {
		if terr := a.f.Truncate(a.size); terr != nil {
			a.broken = fmt.Errorf("%w: %v (rollback: %v)", ErrBroken, err, terr)
			return a.broken
		}
	}
	return fmt.Errorf("sink: write %s: %w", a.path, err)
}

// rawWrite issues exactly one write(2). os.File.Write would loop on a short
// write and could leave part of a line without reporting which part; here a
// short write is an error the caller rolls back.
func rawWrite(f *os.File, p []byte) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var werr error
	cerr := rc.Write(func(fd uintptr) bool {
		for {
			n, werr = syscall.Write(int(fd), p)
			if werr != syscall.EINTR || n > 0 {
				return true
			}
		}
	})
	if cerr != nil {
		return 0, cerr
	}
	if n < 0 {
		n = 0
	}
	return n, werr
}

func (a *appendFile) sync() error  { return a.f.Sync() }
func (a *appendFile) close() error { return a.f.Close() }

// writeFileSync creates path with data and flushes it.
func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return fmt.Errorf("sink: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sink: %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// syncDir flushes a directory so a created or renamed entry survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sink: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sink: sync dir %s: %w", dir, err)
	}
	return nil
}
