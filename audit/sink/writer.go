package sink

import (
	"io"
	"os"
	"sync"
)

// Writer writes lines to an io.Writer, typically stdout for a collector that
// reads the process's output. It cannot take back part of a line and does
// not resume a chain: each process starts a new chain at seq 1, so a
// collector should keep one chain per process (the "open" checkpoint and the
// labels tell them apart).
type Writer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewWriter returns a sink writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Stdout returns a sink writing to the process's standard output.
func Stdout() *Writer { return NewWriter(os.Stdout) }

// Write writes line with one Write call.
func (s *Writer) Write(line []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.w.Write(line)
	if err == nil && n != len(line) {
		err = io.ErrShortWrite
	}
	return err
}

// Sync flushes the writer when it is a regular file; pipes and terminals
// have nothing to flush.
func (s *Writer) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	return f.Sync()
}

// Close does nothing: the writer belongs to the caller.
func (s *Writer) Close() error { return nil }
