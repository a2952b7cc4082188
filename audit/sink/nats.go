package sink

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATS defaults and retry bounds.
const (
	DefaultAckTimeout   = 5 * time.Second
	DefaultDrainTimeout = 5 * time.Second
	DefaultCompactBytes = 4 << 20
	// dedupWindow is the JetStream duplicate window of a stream this sink
	// creates; within it a re-sent event id is stored once.
	dedupWindow    = 2 * time.Minute
	retryMin       = 50 * time.Millisecond
	retryMax       = 2 * time.Second
	reconnectWait  = 250 * time.Millisecond
	connectTimeout = 2 * time.Second
	drainPoll      = 10 * time.Millisecond
	clientName     = "toolgate-audit"
)

// NATSOptions configures a NATS sink.
type NATSOptions struct {
	URL      string // nats://127.0.0.1:4222
	Stream   string // created with Subject when missing
	Subject  string // one subject per writer, e.g. toolgate.audit.<host>
	SpoolDir string // local write-ahead spool, one per writer
	// AckTimeout bounds the wait for one JetStream acknowledgement.
	AckTimeout time.Duration
	// DrainTimeout bounds how long Close keeps shipping; what is left stays
	// in the spool for the next start.
	DrainTimeout time.Duration
	// CompactBytes is the spool size past which a fully shipped spool is
	// emptied.
	CompactBytes int64
}

// Validate reports a missing required option.
func (o NATSOptions) Validate() error {
	switch {
	case o.URL == "":
		return errors.New("sink: nats url is required")
	case o.Stream == "":
		return errors.New("sink: nats stream is required")
	case o.Subject == "":
		return errors.New("sink: nats subject is required")
	case o.SpoolDir == "":
		return errors.New("sink: nats spool dir is required")
	case o.AckTimeout < 0 || o.DrainTimeout < 0 || o.CompactBytes < 0:
		return errors.New("sink: nats timeouts and sizes must not be negative")
	}
	return nil
}

func (o *NATSOptions) withDefaults() {
	if o.AckTimeout <= 0 {
		o.AckTimeout = DefaultAckTimeout
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = DefaultDrainTimeout
	}
	if o.CompactBytes <= 0 {
		o.CompactBytes = DefaultCompactBytes
	}
}

// NATS ships events to a JetStream stream. Every line is first appended to a
// local spool (the event is recorded once that write succeeded), then a
// single shipper publishes the spool in order, one event at a time, with the
// event id as Nats-Msg-Id, and moves its cursor only after JetStream
// acknowledged the event. While NATS is down the spool grows; when it is
// back the backlog is delivered in order, none lost and, through the
// stream's deduplication, none twice.
type NATS struct {
	o  NATSOptions
	nc *nats.Conn
	js jetstream.JetStream

	mu     sync.Mutex // spool appends, cursor, compaction
	sp     *spool
	closed bool

	wake       chan struct{}
	ctx        context.Context
	cancel     context.CancelFunc
	done       chan struct{}
	shipped    atomic.Uint64
	duplicates atomic.Uint64
	lastErr    atomic.Pointer[string]
}

// OpenNATS opens the spool and starts shipping. NATS need not be up.
func OpenNATS(o NATSOptions) (*NATS, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o.withDefaults()
	sp, err := openSpool(o.SpoolDir)
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect(o.URL, nats.Name(clientName), nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1), nats.ReconnectWait(reconnectWait), nats.Timeout(connectTimeout),
		// No client-side buffering while disconnected: a publish must fail
		// at once so the event stays in the spool, not in a memory buffer.
		nats.ReconnectBufSize(-1))
	if err != nil {
		_ = sp.close()
		return nil, fmt.Errorf("sink: nats: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		_ = sp.close()
		return nil, fmt.Errorf("sink: jetstream: %w", err)
	}
	s := &NATS{o: o, nc: nc, js: js, sp: sp, wake: make(chan struct{}, 1), done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.run()
	return s, nil
}

// Write appends line to the spool and wakes the shipper.
func (s *NATS) Write(line []byte) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return os.ErrClosed
	}
	err := s.sp.file.write(line)
	s.mu.Unlock()
	if err == nil {
		s.kick()
	}
	return err
}

func (s *NATS) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Sync flushes the spool.
func (s *NATS) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sp.file.sync()
}

// LastLine implements audit.Resumer.
func (s *NATS) LastLine() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sp.lastLine()
}

// Shipped is the number of events JetStream acknowledged since Open.
func (s *NATS) Shipped() uint64 { return s.shipped.Load() }

// Duplicates is how many of them JetStream had already stored.
func (s *NATS) Duplicates() uint64 { return s.duplicates.Load() }

// Pending is the number of spooled bytes not yet acknowledged.
func (s *NATS) Pending() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sp.pending()
}

// LastError is the last shipping error, "" when none happened yet.
func (s *NATS) LastError() string {
	if p := s.lastErr.Load(); p != nil {
		return *p
	}
	return ""
}

// Close ships what it can within DrainTimeout, then stops. Unshipped events
// stay in the spool and are shipped by the next OpenNATS.
func (s *NATS) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	deadline := time.Now().Add(s.o.DrainTimeout)
	for s.Pending() > 0 && time.Now().Before(deadline) {
		s.kick()
		time.Sleep(drainPoll)
	}
	s.cancel()
	<-s.done
	s.nc.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(s.sp.file.sync(), s.sp.close())
}
