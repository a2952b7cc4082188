package limits

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/toolgate/toolgate/engine"
)

// ErrStoreUnavailable marks a Take that could not reach the shared store and
// did not fall back to the local limiter. The call must be refused.
var ErrStoreUnavailable = errors.New("rate limit store unavailable")

// OutageMode is what the Redis limiter does when Redis cannot answer.
type OutageMode string

// Outage modes.
const (
	// FailClosed refuses every call that needs a Redis token (the default).
	FailClosed OutageMode = "fail_closed"
	// FallbackLocal takes the tokens from a per-process in-memory limiter
	// when every rate limit of the call is marked local_fallback by the
	// policy; other calls are refused.
	FallbackLocal OutageMode = "local_fallback"
)

// Defaults of the Redis limiter.
const (
	DefaultRedisPrefix = "toolgate:"
	// DefaultRetryInterval is how long the limiter stops asking Redis after
	// a failure, so an outage costs each call no round trip.
	DefaultRetryInterval = 500 * time.Millisecond
	// DefaultRedisTimeout bounds one Redis operation (dial, read, write).
	DefaultRedisTimeout = 250 * time.Millisecond
)

// RedisEvents are callbacks for what an operator must see: metrics and logs.
// Nil fields are skipped. They run on the calling goroutine.
type RedisEvents struct {
	// Error is called for every failed Redis operation.
	Error func(err error)
	// Fallback is called for each call decided by the local limiter.
	Fallback func()
	// Refused is called for each call refused because Redis was unreachable.
	Refused func()
}

// Redis is a fleet-wide rate limiter: one GCRA bucket per rate limit in
// Redis (github.com/go-redis/redis_rate, a Lua script that reads Redis' own
// clock, so replicas with skewed clocks agree). It implements the same Take
// as Memory; see docs/fleet.md for how the two differ within a window.
type Redis struct {
	client    redis.UniversalClient
	gcra      *redis_rate.Limiter
	prefix    string
	mode      OutageMode
	retry     time.Duration
	local     *Memory
	events    RedisEvents
	downUntil atomic.Int64 // unix ns; Redis is not asked before then
}

// RedisOption configures a Redis limiter.
type RedisOption func(*Redis) error

// WithOutageMode selects the behaviour when Redis is unreachable.
func WithOutageMode(m OutageMode) RedisOption {
	return func(r *Redis) error {
		if m != FailClosed && m != FallbackLocal {
			return fmt.Errorf("redis outage mode %q: want %s or %s", m, FailClosed, FallbackLocal)
		}
		r.mode = m
		return nil
	}
}

// WithKeyPrefix namespaces the limiter's keys, so deployments can share one
// Redis (default DefaultRedisPrefix).
func WithKeyPrefix(p string) RedisOption {
	return func(r *Redis) error { r.prefix = p; return nil }
}

// WithRetryInterval sets how long Redis is left alone after a failure.
func WithRetryInterval(d time.Duration) RedisOption {
	return func(r *Redis) error {
		if d < 0 {
			return fmt.Errorf("redis retry interval %s is negative", d)
		}
		r.retry = d
		return nil
	}
}

// WithRedisEvents sets the observability callbacks.
func WithRedisEvents(ev RedisEvents) RedisOption {
	return func(r *Redis) error { r.events = ev; return nil }
}

// NewRedis returns a limiter over client. The caller owns client; Close
// only stops the local fallback limiter.
func NewRedis(client redis.UniversalClient, opts ...RedisOption) (*Redis, error) {
	if client == nil {
		return nil, errors.New("limits: nil redis client")
	}
	r := &Redis{
		client: client,
		gcra:   redis_rate.NewLimiter(client),
		prefix: DefaultRedisPrefix,
		mode:   FailClosed,
		retry:  DefaultRetryInterval,
		local:  NewMemory(),
	}
	for _, o := range opts {
		if err := o(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// DialRedis parses a redis:// or rediss:// URL into a client whose every
// operation is bounded by timeout (zero: DefaultRedisTimeout) and which does
// not retry: the limiter's own outage handling decides what happens next.
func DialRedis(url string, timeout time.Duration) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	if timeout <= 0 {
		timeout = DefaultRedisTimeout
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = timeout, timeout, timeout
	opt.PoolTimeout = timeout
	opt.MaxRetries = -1 // go-redis: -1 disables retries
	return redis.NewClient(opt), nil
}

// Take takes one token from each limit, in order, stopping at the first that
// is exhausted (tokens taken from earlier limits are not returned, as with
// Memory). A malformed limit is an error. When Redis cannot answer, the
// outage mode decides: ErrStoreUnavailable, or the local limiter.
func (r *Redis) Take(ctx context.Context, rls []engine.RateLimit) (bool, time.Duration, error) {
	ok, retry, _, err := r.TakeFrom(ctx, rls)
	return ok, retry, err
}

// Where a call's tokens were counted, as TakeFrom reports it.
const (
	SourceRedis         = "redis"
	SourceLocalFallback = "local_fallback"
)

// TakeFrom is Take that also says where the tokens were counted: in Redis,
// or by the local limiter during an outage. The coordinator records it in
// the audit trail, so fallback decisions are visible per call.
func (r *Redis) TakeFrom(ctx context.Context, rls []engine.RateLimit) (bool, time.Duration, string, error) {
	buckets := make([]bucket, len(rls))
	for i, rl := range rls {
		b, err := parseBucket(rl)
		if err != nil {
			return false, 0, "", err
		}
		buckets[i] = b
	}
	if r.isDown() {
		return r.outage(ctx, rls, errors.New("redis failed recently; not retried yet"))
	}
	for i, rl := range rls {
		b := buckets[i]
		lim := redis_rate.Limit{Rate: int(b.limit), Burst: int(b.limit), Period: b.per}
		res, err := r.gcra.Allow(ctx, r.key(rl.Key, b), lim)
		if err != nil {
			if ctx.Err() != nil {
				return false, 0, "", fmt.Errorf("rate limit %q: %w", rl.Key, ctx.Err())
			}
			r.failed(err)
			return r.outage(ctx, rls, err)
		}
		if res.Allowed == 0 {
			return false, res.RetryAfter, SourceRedis, nil
		}
	}
	return true, 0, SourceRedis, nil
}

// key names a bucket: the limit and period are part of it, so two rules
// with the same key but different rates never share a bucket (as in Memory).
func (r *Redis) key(k string, b bucket) string {
	return r.prefix + "rl:" + strconv.FormatUint(b.limit, 10) + "/" + b.per.String() + ":" + k
}

func (r *Redis) outage(ctx context.Context, rls []engine.RateLimit, cause error) (bool, time.Duration, string, error) {
	if r.mode == FallbackLocal && allowFallback(rls) {
		call(r.events.Fallback)
		ok, retry, err := r.local.Take(ctx, rls)
		return ok, retry, SourceLocalFallback, err
	}
	call(r.events.Refused)
	return false, 0, "", fmt.Errorf("%w: %v", ErrStoreUnavailable, cause)
}

// allowFallback reports whether the policy marked every limit of the call
// as safe to count locally during an outage.
func allowFallback(rls []engine.RateLimit) bool {
	for _, rl := range rls {
		if !rl.LocalFallback {
			return false
		}
	}
	return len(rls) > 0
}

func (r *Redis) failed(err error) {
	r.downUntil.Store(time.Now().Add(r.retry).UnixNano())
	if r.events.Error != nil {
		r.events.Error(err)
	}
}

func (r *Redis) isDown() bool { return time.Now().UnixNano() < r.downUntil.Load() }

// Ping checks that Redis answers (readiness). Success ends the pause after
// a failure at once.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.client.Ping(ctx).Err(); err != nil {
		r.failed(err)
		return fmt.Errorf("redis ping: %w", err)
	}
	r.downUntil.Store(0)
	return nil
}

// Close stops the local fallback limiter. It does not close the client.
func (r *Redis) Close() error { return r.local.Close() }

func call(f func()) {
	if f != nil {
		f()
	}
}
