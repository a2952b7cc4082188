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
	"github.com/toolgate/toolgate/internal/testredis"
	"github.com/toolgate/toolgate/limits"
)

func newRedis(t *testing.T, url string, opts ...limits.RedisOption) *limits.Redis {
	t.Helper()
	client, err := limits.DialRedis(url, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	r, err := limits.NewRedis(client, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// Two limiters (as two replicas would have) share one bucket: of 40
// concurrent takes exactly the limit succeed.
func TestRedisSharedLimitIsExact(t *testing.T) {
	t.Parallel()
	url := testredis.SharedURL(t)
	prefix := testredis.UniquePrefix(t)
	replicas := []*limits.Redis{
		newRedis(t, url, limits.WithKeyPrefix(prefix)),
		newRedis(t, url, limits.WithKeyPrefix(prefix)),
	}
	const limit, calls = 7, 40
	rl := []engine.RateLimit{{Key: "principal:alice|tool:shell.exec", Limit: limit, Per: "1h"}}
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func(r *limits.Redis) {
			defer wg.Done()
			ok, retry, err := r.Take(context.Background(), rl)
			assert.NoError(t, err)
			if ok {
				allowed.Add(1)
				return
			}
			assert.Greater(t, retry, time.Minute, "GCRA at 7/h refills one token every ~8.6 minutes")
		}(replicas[i%2])
	}
	wg.Wait()
	assert.Equal(t, int64(limit), allowed.Load())
}

func TestRedisBucketsAreKeyedByRule(t *testing.T) {
	t.Parallel()
	r := newRedis(t, testredis.SharedURL(t), limits.WithKeyPrefix(testredis.UniquePrefix(t)))
	ctx := context.Background()
	one := []engine.RateLimit{{Key: "k", Limit: 1, Per: "1h"}}
	two := []engine.RateLimit{{Key: "k", Limit: 2, Per: "1h"}}
	ok, _, err := r.Take(ctx, one)
	require.NoError(t, err)
	require.True(t, ok)
	ok, _, err = r.Take(ctx, one)
	require.NoError(t, err)
	assert.False(t, ok, "1/h is spent")
	ok, _, err = r.Take(ctx, two)
	require.NoError(t, err)
	assert.True(t, ok, "a rule with another rate has its own bucket")
	ok, _, err = r.Take(ctx, append(two, one...))
	require.NoError(t, err)
	assert.False(t, ok, "every limit of the list must have a token")
}

func TestRedisRejectsMalformedLimits(t *testing.T) {
	t.Parallel()
	r := newRedis(t, testredis.SharedURL(t), limits.WithKeyPrefix(testredis.UniquePrefix(t)))
	for _, rl := range []engine.RateLimit{
		{Key: "", Limit: 1, Per: "1s"},
		{Key: "k", Limit: 0, Per: "1s"},
		{Key: "k", Limit: 1, Per: "soon"},
	} {
		ok, _, err := r.Take(context.Background(), []engine.RateLimit{rl})
		require.Error(t, err, "%+v", rl)
		assert.False(t, ok)
	}
}

func TestRedisOptionsAreValidated(t *testing.T) {
	t.Parallel()
	_, err := limits.NewRedis(nil)
	require.Error(t, err)
	client, err := limits.DialRedis("redis://127.0.0.1:1/0", 0)
	require.NoError(t, err)
	defer func() { _ = client.Close() }()
	_, err = limits.NewRedis(client, limits.WithOutageMode("fail_open"))
	require.ErrorContains(t, err, "fail_open")
	_, err = limits.NewRedis(client, limits.WithRetryInterval(-time.Second))
	require.Error(t, err)
	_, err = limits.DialRedis("http://nope", 0)
	require.Error(t, err)
}

type outageCounts struct{ errors, fallbacks, refused atomic.Int64 }

func (c *outageCounts) events() limits.RedisEvents {
	return limits.RedisEvents{
		Error:    func(error) { c.errors.Add(1) },
		Fallback: func() { c.fallbacks.Add(1) },
		Refused:  func() { c.refused.Add(1) },
	}
}

// A private redis-server is killed and restarted: fail_closed refuses,
// local_fallback counts low-risk calls locally and refuses the others, and
// both go back to Redis once it answers again.
func TestRedisOutageAndRecovery(t *testing.T) {
	t.Parallel()
	srv := testredis.Start(t)
	var closed, fallback outageCounts
	failClosed := newRedis(t, srv.URL(), limits.WithRetryInterval(50*time.Millisecond),
		limits.WithRedisEvents(closed.events()))
	withFallback := newRedis(t, srv.URL(), limits.WithRetryInterval(50*time.Millisecond),
		limits.WithOutageMode(limits.FallbackLocal), limits.WithRedisEvents(fallback.events()))
	ctx := context.Background()
	lowRisk := []engine.RateLimit{{Key: "low", Limit: 2, Per: "1h", LocalFallback: true}}
	highRisk := []engine.RateLimit{{Key: "high", Limit: 2, Per: "1h"}}

	ok, _, err := failClosed.Take(ctx, highRisk)
	require.NoError(t, err)
	require.True(t, ok)

	srv.Kill()
	_, _, err = failClosed.Take(ctx, highRisk)
	require.ErrorIs(t, err, limits.ErrStoreUnavailable)
	_, _, err = failClosed.Take(ctx, lowRisk)
	require.ErrorIs(t, err, limits.ErrStoreUnavailable, "fail_closed ignores local_fallback")
	_, _, err = withFallback.Take(ctx, highRisk)
	require.ErrorIs(t, err, limits.ErrStoreUnavailable, "only marked limits fall back")
	_, _, err = withFallback.Take(ctx, append(lowRisk, highRisk...))
	require.ErrorIs(t, err, limits.ErrStoreUnavailable, "every limit of the call must be marked")
	for i := 0; i < 2; i++ {
		var source string
		ok, _, source, err = withFallback.TakeFrom(ctx, lowRisk)
		require.NoError(t, err)
		assert.True(t, ok, "local token %d", i)
		assert.Equal(t, limits.SourceLocalFallback, source, "the audit trail can tell")
	}
	ok, _, err = withFallback.Take(ctx, lowRisk)
	require.NoError(t, err)
	assert.False(t, ok, "the local limiter still limits")
	assert.Positive(t, closed.errors.Load())
	assert.Equal(t, int64(2), closed.refused.Load())
	assert.Equal(t, int64(3), fallback.fallbacks.Load())
	assert.Equal(t, int64(2), fallback.refused.Load())

	srv.Restart(t)
	require.Eventually(t, func() bool {
		ok, _, err := failClosed.Take(ctx, highRisk)
		return err == nil && ok
	}, 5*time.Second, 60*time.Millisecond, "fail_closed recovers when Redis is back")
	require.NoError(t, withFallback.Ping(ctx))
	ok, _, err = withFallback.Take(ctx, lowRisk)
	require.NoError(t, err)
	assert.True(t, ok, "Redis (emptied by the restart) decides again, not the spent local bucket")
}

// A caller that gives up is not an outage: the error is the context's and
// Redis is not marked down.
func TestRedisCancelledContext(t *testing.T) {
	t.Parallel()
	var counts outageCounts
	r := newRedis(t, testredis.SharedURL(t), limits.WithKeyPrefix(testredis.UniquePrefix(t)),
		limits.WithOutageMode(limits.FallbackLocal), limits.WithRedisEvents(counts.events()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := r.Take(ctx, []engine.RateLimit{{Key: "k", Limit: 1, Per: "1s", LocalFallback: true}})
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, counts.fallbacks.Load())
}
