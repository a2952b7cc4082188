package limits

import (
	"errors"
	"fmt"
	"sync"

	"github.com/toolgate/toolgate/engine"
)

// ErrTooManyInFlight refuses a call that would exceed a concurrency cap.
var ErrTooManyInFlight = errors.New("too many calls in flight")

// Concurrency caps the calls in flight per key (a decision's "concurrency"
// list: per principal, per tool, …). It never queues: a call over a cap is
// refused at once, so a slow tool cannot pile up waiting callers.
type Concurrency struct {
	mu       sync.Mutex
	inflight map[string]int64
}

// NewConcurrency returns an empty set of counters.
func NewConcurrency() *Concurrency {
	return &Concurrency{inflight: make(map[string]int64)}
}

// Acquire takes one slot of every cap, all or none. The returned release
// gives them back; it is safe to call more than once (only the first call
// counts), so it can be deferred and also called early.
func (c *Concurrency) Acquire(caps []engine.ConcurrencyLimit) (release func(), err error) {
	for _, cl := range caps {
		if cl.Key == "" || cl.Limit <= 0 {
			return nil, fmt.Errorf("concurrency cap %q: needs a key and a positive limit", cl.Key)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cl := range caps {
		if c.inflight[cl.Key] >= cl.Limit {
			return nil, fmt.Errorf("%w: %q is at its cap of %d", ErrTooManyInFlight, cl.Key, cl.Limit)
		}
	}
	for _, cl := range caps {
		c.inflight[cl.Key]++
	}
	var once sync.Once
	return func() { once.Do(func() { c.release(caps) }) }, nil
}

func (c *Concurrency) release(caps []engine.ConcurrencyLimit) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cl := range caps {
		if c.inflight[cl.Key]--; c.inflight[cl.Key] <= 0 {
			delete(c.inflight, cl.Key) // idle keys cost no memory
		}
	}
}

// InFlight is the number of calls holding a slot of key.
func (c *Concurrency) InFlight(key string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inflight[key]
}
