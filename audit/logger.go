package audit

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"

	"github.com/toolgate/toolgate/audit/internal/redact"
)

// Logger writes the audit trail: one JSON line per event, redacted, chained by
// sequence number and SHA-256 (docs/audit.md). It is safe for concurrent use;
// events are serialized under one mutex, so concurrent calls produce one
// well-formed, correctly chained log.
//
// Every method that returns an error means the event may not be recorded;
// the caller must refuse the call. An event whose write failed is not part of
// the chain: the next one links to the last line that was written.
type Logger struct {
	nop          bool
	sink         Sink
	o            options
	red          *redact.Redactor
	sync         *syncer
	customRandom bool
	randMu       sync.Mutex

	mu      sync.Mutex
	seq     uint64 // last written sequence number
	prev    string // hash of the last written line
	sinceCP int    // events since the last checkpoint
	closed  bool
	line    []byte // line buffer, reused under mu
}

// maxRetainedLine is the largest line buffer kept between events.
const maxRetainedLine = 64 << 10

// Nop returns a Logger that records nothing and costs nothing: audit off.
func Nop() *Logger { return &Logger{nop: true} }

// New returns a Logger writing to sink. When the sink holds earlier events
// (Resumer) the chain continues from its last line. With checkpoints on, an
// "open" checkpoint is written at once, so an unwritable sink fails here.
func New(sink Sink, opts ...Option) (*Logger, error) {
	if sink == nil {
		return nil, errors.New("audit: nil sink")
	}
	o := defaultOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	l := &Logger{sink: sink, o: o, prev: GenesisHash, customRandom: o.random != rand.Reader}
	if err := l.init(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Logger) init() error {
	mode := redact.Erase
	if l.o.redact == RedactHMAC {
		if l.o.hmacKey == nil {
			return errors.New("audit: HMAC redaction needs a key (WithHMACKey)")
		}
		mode = redact.HMAC
	}
	red, err := redact.New(mode, l.o.hmacKey, l.o.detect)
	if err != nil {
		return err
	}
	l.red = red
	if err := l.resume(); err != nil {
		return err
	}
	l.sync = newSyncer(l.sink, l.o.fsync, l.o.interval)
	if l.o.checkpointEvery > 0 {
		l.mu.Lock()
		err := l.checkpointLocked(reasonOpen)
		l.mu.Unlock()
		if err != nil {
			l.sync.stop()
			return err
		}
	}
	return nil
}

// resume continues the chain of a sink that holds events.
func (l *Logger) resume() error {
	r, ok := l.sink.(Resumer)
	if !ok {
		return nil
	}
	last, err := r.LastLine()
	if err != nil {
		return fmt.Errorf("audit: read the last event: %w", err)
	}
	if last == nil {
		return nil
	}
	h, err := parseHeader(last)
	if err != nil {
		return fmt.Errorf("audit: cannot continue the chain, last line: %w", err)
	}
	l.seq, l.prev = h.seq, lineHash(last)
	return nil
}

// Enabled reports whether the Logger records anything (false for Nop).
func (l *Logger) Enabled() bool { return !l.nop }

// Head returns the sequence number and hash of the last written event; a
// verifier given them detects a log truncated after the fact.
func (l *Logger) Head() (seq uint64, hash string) {
	if l.nop {
		return 0, GenesisHash
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq, l.prev
}

// Decision records the decision event of one call, before anything runs.
//
// ctx is deliberately not used to abandon the write: the coordinator also
// records calls it refused because their context ended, and the write is a
// bounded local append.
func (l *Logger) Decision(ctx context.Context, ev DecisionEvent) error {
	if l.nop {
		return nil
	}
	rec, err := l.decisionRecord(ev)
	if err != nil {
		return &WriteError{Op: "encode", Err: err}
	}
	return l.appendRecord(TypeDecision, rec)
}

// Outcome records what happened when an allowed call ran.
func (l *Logger) Outcome(ctx context.Context, ev OutcomeEvent) error {
	if l.nop {
		return nil
	}
	rec, err := l.outcomeRecord(ev)
	if err != nil {
		return &WriteError{Op: "encode", Err: err}
	}
	return l.appendRecord(TypeOutcome, rec)
}

// Close writes a final checkpoint (when checkpoints are on), syncs and closes
// the sink. Later events fail with ErrClosed.
func (l *Logger) Close() error {
	if l.nop {
		return nil
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	var errs []error
	if l.o.checkpointEvery > 0 && l.sync.err() == nil {
		errs = append(errs, l.checkpointLocked(reasonClose))
	}
	l.closed = true
	l.mu.Unlock()
	l.sync.stop()
	if l.sync.err() == nil {
		errs = append(errs, l.sink.Sync())
	}
	errs = append(errs, l.sink.Close())
	return errors.Join(errs...)
}
