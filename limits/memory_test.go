package limits_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
)

func rl(key string, limit int64, per string) engine.RateLimit {
	return engine.RateLimit{Key: key, Limit: limit, Per: per}
}

// The memorystore is a fixed window: the whole bucket comes back at the
// window boundary, not one token at a time.
func TestMemoryFixedWindowBoundary(t *testing.T) {
	t.Parallel()
	m := limits.NewMemory()
	defer func() { _ = m.Close() }()
	ctx := context.Background()
	lim := []engine.RateLimit{rl("principal:alice", 3, "300ms")}
	for i := 0; i < 3; i++ {
		ok, _, err := m.Take(ctx, lim)
		require.NoError(t, err)
		require.True(t, ok, "token %d", i)
	}
	ok, retry, err := m.Take(ctx, lim)
	require.NoError(t, err)
	require.False(t, ok)
	assert.Greater(t, retry, time.Duration(0))
	assert.LessOrEqual(t, retry, 300*time.Millisecond)

	time.Sleep(retry + 20*time.Millisecond)
	for i := 0; i < 3; i++ {
		ok, _, err := m.Take(ctx, lim)
		require.NoError(t, err)
		assert.True(t, ok, "after the boundary the whole bucket is back (token %d)", i)
	}
}

func TestMemoryKeysAreIndependent(t *testing.T) {
	t.Parallel()
	m := limits.NewMemory()
	defer func() { _ = m.Close() }()
	ctx := context.Background()
	ok, _, _ := m.Take(ctx, []engine.RateLimit{rl("a", 1, "1h")})
	require.True(t, ok)
	ok, _, _ = m.Take(ctx, []engine.RateLimit{rl("a", 1, "1h")})
	require.False(t, ok)
	ok, _, _ = m.Take(ctx, []engine.RateLimit{rl("b", 1, "1h")})
	assert.True(t, ok)
}

// Every limit in a decision applies: the narrowest one refuses.
func TestMemoryAllLimitsApply(t *testing.T) {
	t.Parallel()
	m := limits.NewMemory()
	defer func() { _ = m.Close() }()
	ctx := context.Background()
	lims := []engine.RateLimit{rl("principal:a", 10, "1h"), rl("principal:a|tool:x", 1, "1h")}
	ok, _, _ := m.Take(ctx, lims)
	require.True(t, ok)
	ok, _, _ = m.Take(ctx, lims)
	assert.False(t, ok)
}

func TestMemoryRejectsMalformedLimits(t *testing.T) {
	t.Parallel()
	m := limits.NewMemory()
	defer func() { _ = m.Close() }()
	for _, bad := range []engine.RateLimit{rl("", 1, "1m"), rl("k", 0, "1m"), rl("k", -5, "1m"), rl("k", 1, "often"), rl("k", 1, "-1m"), rl("k", 1, "0s")} {
		_, _, err := m.Take(context.Background(), []engine.RateLimit{bad})
		assert.Error(t, err, "%+v", bad)
	}
}

func TestMemoryConcurrentTakeAdmitsExactlyTheLimit(t *testing.T) {
	t.Parallel()
	m := limits.NewMemory()
	defer func() { _ = m.Close() }()
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if ok, _, err := m.Take(context.Background(), []engine.RateLimit{rl("shared", 100, "1h")}); err == nil && ok {
					admitted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(100), admitted.Load())
}

// go-limiter's memorystore refills period_ns/limit tokens per window; a limit
// whose square exceeds the period would silently shrink after one window.
func TestMemoryRefusesLimitsItCannotRefill(t *testing.T) {
	t.Parallel()
	m := limits.NewMemory()
	defer func() { _ = m.Close() }()
	_, _, err := m.Take(context.Background(), []engine.RateLimit{rl("k", 100000, "1s")})
	require.ErrorContains(t, err, "finer than the in-memory store can refill")
	ok, _, err := m.Take(context.Background(), []engine.RateLimit{rl("k", 30000, "1s")})
	require.NoError(t, err)
	assert.True(t, ok)
}
