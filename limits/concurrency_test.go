package limits_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
)

var caps = []engine.ConcurrencyLimit{{Key: "principal:alice", Limit: 3}, {Key: "tool:shell.exec", Limit: 2}}

// Of 20 concurrent calls at most 2 (the tighter cap) run at once, and the
// counters are back to zero afterwards.
func TestConcurrencyCapsInFlight(t *testing.T) {
	t.Parallel()
	c := limits.NewConcurrency()
	var running, peak, refused atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.Do(context.Background(), caps, func(context.Context) error {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
				return nil
			})
			if errors.Is(err, limits.ErrTooManyInFlight) {
				refused.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int64(2))
	assert.Positive(t, refused.Load())
	assert.Zero(t, c.InFlight("principal:alice"))
	assert.Zero(t, c.InFlight("tool:shell.exec"))
}

func TestAcquireIsAllOrNone(t *testing.T) {
	t.Parallel()
	c := limits.NewConcurrency()
	r1, err := c.Acquire(caps)
	require.NoError(t, err)
	r2, err := c.Acquire(caps)
	require.NoError(t, err)
	_, err = c.Acquire(caps)
	require.ErrorIs(t, err, limits.ErrTooManyInFlight)
	assert.Equal(t, int64(2), c.InFlight("principal:alice"), "the refused call took no slot of the looser cap")
	r1()
	r1() // a second release does nothing
	assert.Equal(t, int64(1), c.InFlight("principal:alice"))
	r2()
	assert.Zero(t, c.InFlight("tool:shell.exec"))
	_, err = c.Acquire([]engine.ConcurrencyLimit{{Key: "k", Limit: 0}})
	require.Error(t, err, "a malformed cap refuses")
}

func TestDoReleasesOnPanicAndTimeout(t *testing.T) {
	t.Parallel()
	c := limits.NewConcurrency()
	one := []engine.ConcurrencyLimit{{Key: "k", Limit: 1}}
	assert.PanicsWithValue(t, "boom", func() {
		_ = c.Do(context.Background(), one, func(context.Context) error { panic("boom") })
	})
	assert.Zero(t, c.InFlight("k"), "released after a panic")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	stuck := make(chan struct{})
	defer close(stuck)
	err := c.Do(ctx, one, func(context.Context) error { <-stuck; return nil })
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, c.InFlight("k"), "released at the timeout")

	want := errors.New("tool failed")
	require.ErrorIs(t, c.Do(context.Background(), one, func(context.Context) error { return want }), want)
	assert.Zero(t, c.InFlight("k"))
}
