package limits_test

import (
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
			release, err := c.Acquire(caps)
			if errors.Is(err, limits.ErrTooManyInFlight) {
				refused.Add(1)
				return
			}
			if !assert.NoError(t, err) {
				return
			}
			defer release()
			n := running.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
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

// A deferred release gives the slots back when the holder panics; a release
// called early (the coordinator giving up on a tool at its timeout) frees
// the slot for the next call, and the holder's own release, when it finally
// runs, does not free that call's slot.
func TestReleaseOnPanicAndTimeout(t *testing.T) {
	t.Parallel()
	c := limits.NewConcurrency()
	one := []engine.ConcurrencyLimit{{Key: "k", Limit: 1}}
	assert.PanicsWithValue(t, "boom", func() {
		release, err := c.Acquire(one)
		require.NoError(t, err)
		defer release()
		panic("boom")
	})
	assert.Zero(t, c.InFlight("k"), "released after a panic")

	stuck, err := c.Acquire(one)
	require.NoError(t, err)
	_, err = c.Acquire(one)
	require.ErrorIs(t, err, limits.ErrTooManyInFlight, "held by the stuck call")
	stuck() // the timeout gives up on it
	assert.Zero(t, c.InFlight("k"), "released at the timeout")
	next, err := c.Acquire(one)
	require.NoError(t, err, "the next call gets the slot")
	stuck() // the stuck call's deferred release, late
	assert.Equal(t, int64(1), c.InFlight("k"), "a late second release frees nothing")
	next()
	assert.Zero(t, c.InFlight("k"))
}
