// Package limits throttles tool calls: rate limits taken per decision, kept
// in memory for one process (Memory) or in Redis for a fleet.
package limits

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sethvargo/go-limiter"
	"github.com/sethvargo/go-limiter/memorystore"

	"github.com/toolgate/toolgate/engine"
)

// Memory is an in-process rate limiter built on go-limiter's memorystore.
//
// Semantics to know: memorystore refills a key's whole bucket at each
// interval tick, counted from the key's first use. That is a fixed window,
// not a smooth token bucket: a caller may spend `limit` tokens at the end of
// one window and `limit` more at the start of the next. Limits are therefore
// "at most limit per window", and a burst of up to 2×limit can straddle a
// window boundary.
//
// A second quirk: after the first window memorystore refills period_ns/limit
// tokens per elapsed window, capped at limit. When limit² exceeds the period
// in nanoseconds (e.g. 100000 per second) the bucket never refills fully.
// Such limits are refused with an error instead of silently enforcing a
// different number.
type Memory struct {
	mu     sync.Mutex
	stores map[bucket]limiter.Store
	// rules caches the store of each (limit, per) as written in a
	// decision, so that a known rule is neither re-parsed nor looked up
	// under mu. It holds only rules parseBucket accepted; Close clears it.
	rules sync.Map // rule -> limiter.Store
}

// rule is a rate limit as a decision writes it, before parsing: "1m" and
// "60s" are two rules sharing one bucket.
type rule struct {
	limit int64
	per   string
}

// bucket identifies one limit rule: every decision rule with the same limit
// and period shares a store, keyed inside it by the rule's key.
type bucket struct {
	limit uint64
	per   time.Duration
}

// NewMemory returns an empty in-memory limiter. Close it to stop the
// stores' sweeper goroutines.
func NewMemory() *Memory {
	return &Memory{stores: make(map[bucket]limiter.Store)}
}

// Take takes one token from each limit. It stops at the first exhausted one
// and reports how long until its window resets. Tokens already taken from
// earlier limits in the list are not returned: a refused call still counts
// against the broader limits, which only makes throttling stricter.
func (m *Memory) Take(ctx context.Context, rls []engine.RateLimit) (bool, time.Duration, error) {
	for _, rl := range rls {
		st, err := m.store(rl)
		if err != nil {
			return false, 0, err
		}
		_, _, reset, ok, err := st.Take(ctx, rl.Key)
		if err != nil {
			return false, 0, fmt.Errorf("rate limit %q: %w", rl.Key, err)
		}
		if !ok {
			return false, retryAfter(reset), nil
		}
	}
	return true, 0, nil
}

func retryAfter(resetUnixNano uint64) time.Duration {
	d := time.Until(time.Unix(0, int64(resetUnixNano)))
	if d < 0 {
		return 0
	}
	return d
}

func (m *Memory) store(rl engine.RateLimit) (limiter.Store, error) {
	if rl.Key == "" {
		return nil, errNoKey // the one check a cached rule does not cover
	}
	r := rule{limit: rl.Limit, per: rl.Per}
	if st, ok := m.rules.Load(r); ok {
		return st.(limiter.Store), nil
	}
	b, err := parseBucket(rl)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.stores[b]
	if !ok {
		st, err = memorystore.New(&memorystore.Config{Tokens: b.limit, Interval: b.per})
		if err != nil {
			return nil, fmt.Errorf("rate limit store %d/%s: %w", b.limit, b.per, err)
		}
		m.stores[b] = st
	}
	m.rules.Store(r, st)
	return st, nil
}

// Close stops every store.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rules.Clear()
	for b, st := range m.stores {
		_ = st.Close(context.Background())
		delete(m.stores, b)
	}
	return nil
}

var errNoKey = errors.New("rate limit without a key")

// parseBucket validates a decision's rate limit. A malformed rule is an
// error (and the call is refused) rather than an unlimited call.
func parseBucket(rl engine.RateLimit) (bucket, error) {
	if rl.Key == "" {
		return bucket{}, errNoKey
	}
	if rl.Limit <= 0 {
		return bucket{}, fmt.Errorf("rate limit %q: limit %d must be positive", rl.Key, rl.Limit)
	}
	per, err := time.ParseDuration(rl.Per)
	if err != nil || per <= 0 {
		return bucket{}, fmt.Errorf("rate limit %q: period %q is not a positive duration", rl.Key, rl.Per)
	}
	if float64(rl.Limit)*float64(rl.Limit) > float64(per.Nanoseconds()) {
		return bucket{}, fmt.Errorf("rate limit %q: %d per %s is finer than the in-memory store can refill "+
			"(it refills period_ns/limit tokens per window, so limit² must not exceed the period in ns); "+
			"use a longer period", rl.Key, rl.Limit, per)
	}
	return bucket{limit: uint64(rl.Limit), per: per}, nil
}
