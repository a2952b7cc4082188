package audit

import (
	"fmt"
)

// appendRecord encodes rec within MaxEventBytes, chains it into the log
// and, with FsyncAlways, waits until it is on stable storage. Encoding runs
// outside the lock.
func (l *Logger) appendRecord(typ string, rec record) error {
	buf, err := encodeRecord(rec)
	if err != nil {
		return &WriteError{Op: "encode", Err: err}
	}
	l.mu.Lock()
	seq, err := l.appendLocked(typ, buf.Bytes())
	l.mu.Unlock()
	putBuf(buf)
	if err != nil {
		return err
	}
	if l.o.fsync == FsyncAlways {
		if err := l.sync.waitDurable(seq); err != nil {
			return &WriteError{Op: "sync", Seq: seq, Err: err}
		}
	}
	return nil
}

func (l *Logger) appendLocked(typ string, body []byte) (uint64, error) {
	if l.closed {
		return 0, ErrClosed
	}
	if err := l.sync.err(); err != nil {
		return 0, fmt.Errorf("%w: %v", ErrFailed, err)
	}
	if l.o.checkpointEvery > 0 && l.sinceCP >= l.o.checkpointEvery {
		if err := l.checkpointLocked(reasonInterval); err != nil {
			return 0, err
		}
	}
	return l.writeLocked(typ, body)
}

// writeLocked adds the chain header to body, hashes the line and writes it.
// The chain state moves only when the sink accepted the whole line, so a
// failed write leaves no gap and no dangling link.
func (l *Logger) writeLocked(typ string, body []byte) (uint64, error) {
	seq := l.seq + 1
	line := appendHeader(l.line[:0], typ, seq, l.prev, body)
	hash := lineHash(line)
	line = append(line, '\n')
	err := l.sink.Write(line)
	if cap(line) <= maxRetainedLine {
		l.line = line
	}
	if err != nil {
		return 0, &WriteError{Op: "write", Seq: seq, Err: err}
	}
	l.seq, l.prev = seq, hash
	if typ == TypeCheckpoint {
		l.sinceCP = 0
	} else {
		l.sinceCP++
	}
	l.sync.wrote(seq)
	return seq, nil
}

// checkpointLocked writes a signed checkpoint committing to every line
// before it (docs/audit.md, "Checkpoints").
func (l *Logger) checkpointLocked(reason string) error {
	id, err := l.eventID()
	if err != nil {
		return &WriteError{Op: "checkpoint", Seq: l.seq + 1, Err: err}
	}
	ts := l.stamp(l.o.now())
	rec := checkpointRecord{
		EventID:   id,
		Timestamp: ts,
		Labels:    l.o.labels,
		Checkpoint: checkpointInfo{
			Reason:    reason,
			KeyID:     KeyID(l.o.checkpointKey.Public()),
			Signature: signCheckpoint(l.o.checkpointKey, l.seq+1, l.prev, ts),
		},
	}
	buf, err := encodeRecord(&rec)
	if err != nil {
		return &WriteError{Op: "checkpoint", Seq: l.seq + 1, Err: err}
	}
	defer putBuf(buf)
	_, err = l.writeLocked(TypeCheckpoint, buf.Bytes())
	return err
}
