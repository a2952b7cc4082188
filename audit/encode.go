package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/google/uuid"

	"github.com/toolgate/toolgate/engine"
)

// MaxEventBytes bounds one event line. Some of what an event records is
// bounded by no one: a call refused as invalid input is still audited, and a
// tool error is recorded as the tool reported it. Past this size a record is
// shrunk (record.shrink) rather than letting one event fill the disk, break
// the chain for Verify or be refused.
const MaxEventBytes = 4 << 20

// shrunkNameBytes bounds the names kept in a shrunk event.
const shrunkNameBytes = engine.DefaultMaxNameBytes

// shrunkMessageBytes bounds an error message kept in a shrunk event.
const shrunkMessageBytes = 4 << 10

// record is the body of one line: every event type, so that every line goes
// through encodeRecord and its bound.
type record interface {
	// shrink drops or cuts what a caller controls in size. Redaction
	// already ran, so the kept text holds no secret.
	shrink()
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encodeRecord marshals rec, shrinking it when it exceeds MaxEventBytes; it
// is the only way a body is encoded. encoding/json writes struct fields in
// declaration order, map keys sorted, no HTML escaping. The bytes are hashed
// as written, so verification never depends on re-encoding them. The
// returned buffer goes back to the pool with putBuf.
func encodeRecord(rec record) (*bytes.Buffer, error) {
	buf, err := encode(rec)
	if err != nil || buf.Len() <= MaxEventBytes {
		return buf, err
	}
	putBuf(buf)
	rec.shrink()
	buf, err = encode(rec)
	if err == nil && buf.Len() > MaxEventBytes {
		n := buf.Len()
		putBuf(buf)
		return nil, fmt.Errorf("event of %d bytes exceeds %d even shrunk", n, MaxEventBytes)
	}
	return buf, err
}

func encode(v any) (*bytes.Buffer, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		putBuf(buf)
		return nil, err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	return buf, nil
}

// maxPooledBuf keeps the pool from pinning the memory of one huge event.
const maxPooledBuf = 64 << 10

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuf {
		bufPool.Put(b)
	}
}

// shrink drops the arguments, the annotations and the rest of the input but
// the tool name and principal id, and cuts long names and messages.
func (rec *decisionRecord) shrink() {
	tool, _ := rec.Input["tool"].(map[string]any)
	principal, _ := rec.Input["principal"].(map[string]any)
	name, _ := tool["name"].(string)
	id, _ := principal["id"].(string)
	rec.Input = map[string]any{
		"tool":      map[string]any{"name": truncate(name, shrunkNameBytes)},
		"principal": map[string]any{"id": truncate(id, shrunkNameBytes)},
	}
	rec.Erased = []string{inputPointer + "/principal/roles", inputPointer + "/tool/annotations", inputPointer + "/tool/arguments"}
	rec.Masked = nil
	rec.Error.shrink()
	if rec.Result != nil {
		for i := range rec.Result.Violations {
			v := &rec.Result.Violations[i]
			v.Message = truncate(v.Message, shrunkMessageBytes)
			v.Field = truncate(v.Field, shrunkNameBytes)
		}
	}
}

// shrink cuts the error message (a tool error is recorded as the tool
// reported it) and the names.
func (rec *outcomeRecord) shrink() {
	rec.Tool = truncate(rec.Tool, shrunkNameBytes)
	rec.Principal = truncate(rec.Principal, shrunkNameBytes)
	rec.Killed = truncate(rec.Killed, shrunkNameBytes)
	rec.Error.shrink()
}

// shrink does nothing: a checkpoint holds nothing a caller sized.
func (rec *checkpointRecord) shrink() {}

func (e *ErrorInfo) shrink() {
	if e != nil {
		e.Code = truncate(e.Code, shrunkNameBytes)
		e.Message = truncate(e.Message, shrunkMessageBytes)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// eventID returns a random RFC 4122 version 4 UUID read from the logger's
// random source (crypto/rand unless a test fixed it).
func (l *Logger) eventID() (string, error) {
	id, err := uuid.NewRandomFromReader(readerFunc(l.readRandom))
	if err != nil {
		return "", fmt.Errorf("event id: %w", err)
	}
	return id.String(), nil
}

// readerFunc adapts a read function to io.Reader.
type readerFunc func([]byte) error

func (f readerFunc) Read(p []byte) (int, error) {
	if err := f(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// readRandom serializes reads: a reader given with WithRandom need not be
// safe for concurrent use. crypto/rand is, and is read without the lock.
func (l *Logger) readRandom(b []byte) error {
	if !l.customRandom {
		_, err := io.ReadFull(l.o.random, b)
		return err
	}
	l.randMu.Lock()
	defer l.randMu.Unlock()
	_, err := io.ReadFull(l.o.random, b)
	return err
}
