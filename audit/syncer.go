package audit

import (
	"sync"
	"sync/atomic"
	"time"
)

// syncer flushes the sink according to the fsync mode.
//
// FsyncAlways uses group commit: a writer waits for the sync mutex, and if
// another writer's fsync, started after its line was written, already covers
// it, it returns without a second fsync. Under concurrency one fsync makes
// many events durable.
//
// The first failed sync is sticky (see ErrFailed).
type syncer struct {
	sink    Sink
	written atomic.Uint64 // highest seq handed to the sink

	mu      sync.Mutex // serializes Sync calls
	durable uint64     // highest seq known to be on stable storage
	failed  atomic.Pointer[error]

	quit chan struct{}
	done chan struct{}
}

func newSyncer(sink Sink, mode FsyncMode, interval time.Duration) *syncer {
	s := &syncer{sink: sink}
	if mode == FsyncInterval {
		s.quit, s.done = make(chan struct{}), make(chan struct{})
		go s.loop(interval)
	}
	return s
}

func (s *syncer) wrote(seq uint64) { s.written.Store(seq) }

func (s *syncer) err() error {
	if p := s.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// waitDurable returns once seq is on stable storage.
func (s *syncer) waitDurable(seq uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.err(); err != nil {
		return err
	}
	if s.durable >= seq {
		return nil
	}
	target := s.written.Load()
	if err := s.sink.Sync(); err != nil {
		s.failed.CompareAndSwap(nil, &err)
		return err
	}
	s.durable = target
	return nil
}

func (s *syncer) loop(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
			if w := s.written.Load(); w > 0 && s.err() == nil {
				_ = s.waitDurable(w) // a failure is sticky and refuses the next event
			}
		}
	}
}

// stop ends the background loop; it is idempotent.
func (s *syncer) stop() {
	if s.quit == nil {
		return
	}
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
	<-s.done
}
