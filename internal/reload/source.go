package reload

import (
	"context"
	"time"
)

// Source is where policy sets come from.
type Source interface {
	// Fetch returns the current set, or nil when it is the one fetched
	// last time (same content hash or ETag).
	Fetch(ctx context.Context) (*Candidate, error)
	// Watch calls notify whenever the set may have changed, until ctx ends.
	Watch(ctx context.Context, notify func()) error
	String() string
}

// poll calls notify every interval until ctx ends.
func poll(ctx context.Context, every time.Duration, notify func()) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			notify()
		}
	}
}
