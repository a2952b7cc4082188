package fleet

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/testpolicies"
	"github.com/toolgate/toolgate/internal/testredis"
)

// redisConfig is a serve configuration on the test policies in dir.
func redisConfig(dir, url, prefix, mode string) string {
	return fmt.Sprintf(`
policies: {dir: %q}
redis: {url: %q, key_prefix: %q, on_outage: %s, timeout: 200ms}
log: {level: error}
`, dir, url, prefix, mode)
}

// Two replicas sharing the machine's Redis admit exactly the limit of 40
// concurrent calls spread over both.
func TestTwoReplicasEnforceOneGlobalLimit(t *testing.T) {
	t.Parallel()
	const limit, calls = 7, 40
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A", ShellLimit: limit})
	cfg := redisConfig(dir, testredis.SharedURL(t), testredis.UniquePrefix(t), "fail_closed")
	replicas := []*replica{startServe(t, cfg), startServe(t, cfg)}

	statuses := make([]int, calls)
	var wg sync.WaitGroup
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r, err := post(replicas[i%2].url+"/v1/check", call(testpolicies.ToolShell, "root", "admin"))
			if assert.NoError(t, err) {
				statuses[i] = r.status
			}
		}(i)
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	assert.Equal(t, map[int]int{http.StatusOK: limit, http.StatusTooManyRequests: calls - limit}, count)
	allowed := 0
	for _, r := range replicas {
		allowed += counter(t, metrics(t, r), `toolgate_decisions_total{outcome="allow",tool="shell.exec"}`)
	}
	assert.Equal(t, limit, allowed, "the replicas' metrics add up to the same count")
}

// counter reads one sample of the metrics text (0 when absent).
func counter(t *testing.T, text, series string) int {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, series+" ") {
			var v float64
			_, err := fmt.Sscan(strings.TrimPrefix(line, series+" "), &v)
			require.NoError(t, err)
			return int(v)
		}
	}
	return 0
}

// Redis is killed under two replicas, one per outage mode, and restarted.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	srv := testredis.Start(t)
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A", ShellLimit: 1000})
	prefix := testredis.UniquePrefix(t)
	closed := startServe(t, redisConfig(dir, srv.URL(), prefix, "fail_closed"))
	fallback := startServe(t, redisConfig(dir, srv.URL(), prefix, "local_fallback"))
	echo := call(testpolicies.ToolEcho, "alice", "admin")
	shell := call(testpolicies.ToolShell, "alice", "admin")
	for _, r := range []*replica{closed, fallback} {
		requireStatus(t, r, echo, http.StatusOK)
		requireReady(t, r, http.StatusOK)
	}

	srv.Kill()
	res := requireStatus(t, closed, echo, http.StatusTooManyRequests)
	assert.Equal(t, "rate_limited", res.code())
	assert.NotEmpty(t, res.header.Get("Retry-After"))
	requireStatus(t, fallback, echo, http.StatusOK)               // low risk: counted locally
	requireStatus(t, fallback, shell, http.StatusTooManyRequests) // high risk: refused
	for _, r := range []*replica{closed, fallback} {
		requireReady(t, r, http.StatusServiceUnavailable)
		h, err := get(r.url + "/healthz")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, h.status, "the process lives on")
	}
	m := metrics(t, fallback)
	assert.GreaterOrEqual(t, counter(t, m, `toolgate_redis_outage_calls_total{action="local_fallback"}`), 1)
	assert.GreaterOrEqual(t, counter(t, m, `toolgate_redis_outage_calls_total{action="refused"}`), 1)
	assert.GreaterOrEqual(t, counter(t, metrics(t, closed), `toolgate_rate_limit_rejections_total{reason="store_unavailable"}`), 1)

	srv.Restart(t)
	for _, r := range []*replica{closed, fallback} {
		require.Eventually(t, func() bool {
			res, err := post(r.url+"/v1/check", shell)
			return err == nil && res.status == http.StatusOK
		}, 10*time.Second, 100*time.Millisecond, "recovers when Redis is back")
		requireReady(t, r, http.StatusOK)
	}
}

func requireStatus(t *testing.T, r *replica, body string, want int) result {
	t.Helper()
	res, err := post(r.url+"/v1/check", body)
	require.NoError(t, err)
	require.Equal(t, want, res.status, "%v", res.body)
	return res
}

func requireReady(t *testing.T, r *replica, want int) {
	t.Helper()
	res, err := get(r.url + "/readyz")
	require.NoError(t, err)
	require.Equal(t, want, res.status, "%v", res.body)
}
