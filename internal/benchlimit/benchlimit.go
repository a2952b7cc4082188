// Package benchlimit provides the limiter benchmarks run Check with: it takes
// real tokens from a real in-memory limiter, so the cost of limiting is
// measured, but it never refuses, so refusals are not.
package benchlimit

import (
	"context"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
)

// callsPerKey is how many takes share one key before the next key starts.
// It stays below the limit set on every rule, so no take is ever refused.
const (
	callsPerKey = 1 << 11
	limitPerKey = 1 << 12
)

// Limiter wraps limits.Memory. Each rule keeps its period but gets a fresh
// key every callsPerKey calls and a limit of limitPerKey.
type Limiter struct {
	m *limits.Memory
	n atomic.Uint64
}

// New returns a never-refusing limiter over a fresh in-memory store.
func New() *Limiter { return &Limiter{m: limits.NewMemory()} }

// Take implements coordinator.Limiter.
func (l *Limiter) Take(ctx context.Context, rls []engine.RateLimit) (bool, time.Duration, error) {
	epoch := strconv.FormatUint(l.n.Add(1)/callsPerKey, 10)
	rotated := make([]engine.RateLimit, len(rls))
	for i, rl := range rls {
		rl.Key += "|bench:" + epoch
		rl.Limit = limitPerKey
		rotated[i] = rl
	}
	return l.m.Take(ctx, rotated)
}

// Close stops the underlying store.
func (l *Limiter) Close() error { return l.m.Close() }
