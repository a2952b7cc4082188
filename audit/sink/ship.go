package sink

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// eventIDKey is how the event id appears in a line; the writer puts it first
// after the chain header.
var eventIDKey = []byte(`"event_id":"`)

// run is the shipper goroutine: ship the spool, then wait for more or retry
// with backoff after a failure.
func (s *NATS) run() {
	defer close(s.done)
	backoff := retryMin
	ready, reconciled := false, false
	for {
		err := s.shipOnce(&ready, &reconciled)
		wait := backoff
		if err == nil {
			backoff = retryMin
			s.compactIfShipped()
		} else {
			msg := err.Error()
			s.lastErr.Store(&msg)
			backoff = min(2*backoff, retryMax)
		}
		if !s.sleep(err == nil, wait) {
			return
		}
	}
}

// sleep waits for new lines (idle) or the retry delay; false means stop.
func (s *NATS) sleep(idle bool, d time.Duration) bool {
	if idle {
		select {
		case <-s.wake:
			return true
		case <-s.ctx.Done():
			return false
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

func (s *NATS) shipOnce(ready, reconciled *bool) error {
	if !*ready {
		if err := s.ensureStream(); err != nil {
			return err
		}
		*ready = true
	}
	if !*reconciled {
		if err := s.reconcile(); err != nil {
			return err
		}
		*reconciled = true
	}
	s.mu.Lock()
	from, to := s.sp.cursor, s.sp.file.size
	s.mu.Unlock()
	if from == to {
		return nil
	}
	err := s.sp.lines(from, to, func(line []byte) error {
		if err := s.publish(line); err != nil {
			return err
		}
		s.mu.Lock()
		err := s.sp.setCursor(s.sp.cursor + int64(len(line)) + 1)
		s.mu.Unlock()
		s.shipped.Add(1)
		return err
	})
	if errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, nats.ErrNoResponders) {
		*ready = false
	}
	return err
}

// ensureStream creates the stream when it does not exist. An existing stream
// is left as its operator configured it.
func (s *NATS) ensureStream() error {
	ctx, cancel := context.WithTimeout(s.ctx, s.o.AckTimeout)
	defer cancel()
	_, err := s.js.Stream(ctx, s.o.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = s.js.CreateStream(ctx, jetstream.StreamConfig{
			Name: s.o.Stream, Subjects: []string{s.o.Subject},
			Storage: jetstream.FileStorage, Duplicates: dedupWindow,
		})
	}
	if err != nil {
		return fmt.Errorf("sink: stream %s: %w", s.o.Stream, err)
	}
	return nil
}

// reconcile skips spooled lines the stream already holds: after a crash
// between an acknowledgement and the cursor write, the stream's last event
// on our subject is found in the spool and the cursor moved past it. This
// holds beyond the stream's duplicate window.
func (s *NATS) reconcile() error {
	ctx, cancel := context.WithTimeout(s.ctx, s.o.AckTimeout)
	defer cancel()
	st, err := s.js.Stream(ctx, s.o.Stream)
	if err != nil {
		return fmt.Errorf("sink: stream %s: %w", s.o.Stream, err)
	}
	last, err := st.GetLastMsgForSubject(ctx, s.o.Subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sink: last event on %s: %w", s.o.Subject, err)
	}
	want := last.Header.Get(jetstream.MsgIDHeader)
	s.mu.Lock()
	defer s.mu.Unlock()
	off, found := s.sp.cursor, int64(-1)
	err = s.sp.lines(s.sp.cursor, s.sp.file.size, func(line []byte) error {
		off += int64(len(line)) + 1
		if want != "" && eventID(line) == want {
			found = off
		}
		return nil
	})
	if err != nil || found < 0 {
		return err
	}
	return s.sp.setCursor(found)
}

func (s *NATS) publish(line []byte) error {
	ctx, cancel := context.WithTimeout(s.ctx, s.o.AckTimeout)
	defer cancel()
	msg := &nats.Msg{Subject: s.o.Subject, Data: line, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, eventID(line))
	ack, err := s.js.PublishMsg(ctx, msg, jetstream.WithExpectStream(s.o.Stream))
	if err != nil {
		return fmt.Errorf("sink: publish: %w", err)
	}
	if ack.Duplicate {
		s.duplicates.Add(1)
	}
	return nil
}

// compactIfShipped empties the spool once everything in it is acknowledged
// and it has grown past CompactBytes.
func (s *NATS) compactIfShipped() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sp.pending() != 0 || s.sp.file.size < s.o.CompactBytes {
		return
	}
	if err := s.sp.compact(); err != nil {
		msg := err.Error()
		s.lastErr.Store(&msg)
	}
}

// eventID returns a line's event id; a line without one (never written by
// the Logger) is named by its SHA-256 so it still deduplicates.
func eventID(line []byte) string {
	if i := bytes.Index(line, eventIDKey); i >= 0 {
		rest := line[i+len(eventIDKey):]
		if j := bytes.IndexByte(rest, '"'); j > 0 {
			return string(rest[:j])
		}
	}
	sum := sha256.Sum256(line)
	return hex.EncodeToString(sum[:])
}
