package audit

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the Logger returns means the event may not be
// recorded; the coordinator refuses the call (audit_failure).
var (
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("audit: logger closed")
	// ErrFailed is returned once a sync failed. After a failed fsync the
	// kernel may have dropped the dirty pages, so a later successful fsync
	// proves nothing: the Logger refuses every event until it is reopened,
	// which re-reads what actually reached the disk.
	ErrFailed = errors.New("audit: logger failed")
)

// WriteError is a failure to record one event.
type WriteError struct {
	// Op is "encode", "write", "sync" or "checkpoint".
	Op string
	// Seq is the sequence number the event would have had.
	Seq uint64
	Err error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("audit: %s event %d: %v", e.Op, e.Seq, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }
