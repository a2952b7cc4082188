package sandbox

import (
	"bytes"
	"io"
	"os"
	"sync"
	"time"
)

// cappedBuffer keeps the first limit bytes written to it and calls
// onOverflow once when more arrive. It never returns an error, so the copy
// from the tool's pipe keeps draining until the tool is gone.
type cappedBuffer struct {
	mu         sync.Mutex
	buf        bytes.Buffer
	limit      int64
	truncated  bool
	onOverflow func()
}

func newCappedBuffer(limit int64, onOverflow func()) *cappedBuffer {
	return &cappedBuffer{limit: limit, onOverflow: onOverflow}
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	room := c.limit - int64(c.buf.Len())
	overflow := int64(len(p)) > room
	if overflow {
		c.buf.Write(p[:room])
	} else {
		c.buf.Write(p)
	}
	first := overflow && !c.truncated
	c.truncated = c.truncated || overflow
	c.mu.Unlock()
	if first && c.onOverflow != nil {
		c.onOverflow()
	}
	return len(p), nil
}

// result returns a copy of the kept bytes and whether any were dropped.
func (c *cappedBuffer) result() ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.buf.Bytes()), c.truncated
}

// outputs are the tool's stdout and stderr pipes. The runner reads them
// itself, rather than through exec.Cmd, so that it decides when to stop
// waiting: after the tool is gone and its tree has been killed.
type outputs struct {
	stdout, stderr *cappedBuffer
	readers        [2]*os.File
	writers        [2]*os.File
	done           chan struct{}
}

func newOutputs(limit int64, onOverflow func()) (*outputs, error) {
	o := &outputs{
		stdout: newCappedBuffer(limit, onOverflow),
		stderr: newCappedBuffer(limit, onOverflow),
		done:   make(chan struct{}),
	}
	for i := range o.readers {
		r, w, err := os.Pipe()
		if err != nil {
			o.closeAll()
			return nil, err
		}
		o.readers[i], o.writers[i] = r, w
	}
	return o, nil
}

// start closes the parent's copies of the write ends (the child has its
// own) and copies both pipes into their buffers until EOF.
func (o *outputs) start() {
	for _, w := range o.writers {
		_ = w.Close()
	}
	var wg sync.WaitGroup
	for i, dst := range []io.Writer{o.stdout, o.stderr} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = io.Copy(dst, o.readers[i])
		}()
	}
	go func() { wg.Wait(); close(o.done) }()
}

// wait waits for both copies to reach EOF, at most grace: past it a
// process we could not kill still holds a pipe, and closing our ends ends
// the copies (the process gets EPIPE).
func (o *outputs) wait(grace time.Duration) {
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-o.done:
	case <-t.C:
		for _, r := range o.readers {
			_ = r.Close()
		}
		<-o.done
	}
	for _, r := range o.readers {
		_ = r.Close()
	}
}

// closeAll releases the pipes of a tool that never started.
func (o *outputs) closeAll() {
	for _, f := range append(o.readers[:], o.writers[:]...) {
		if f != nil {
			_ = f.Close()
		}
	}
}
