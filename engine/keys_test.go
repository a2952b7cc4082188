package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// scopedPolicy gives every bucket by scope; the engine keys them.
var scopedPolicy = replace(testPolicy,
	`"rate_limits": [{"key": concat("", ["principal:", input.principal.id]), "limit": data.toolgate.settings.limit, "per": "1m"}]`,
	`"rate_limits": [{"scope": "principal_tool", "limit": 1, "per": "1m"}, {"scope": "principal", "limit": 2, "per": "1h"}, {"scope": "session", "limit": 3, "per": "1h", "local_fallback": true}]`,
	`"obligations": []`,
	`"obligations": [], "concurrency": [{"scope": "principal_tool", "limit": 4}, {"scope": "session", "limit": 5}]`)

func TestScopesAreKeyedFromTheCall(t *testing.T) {
	t.Parallel()
	e := newEngine(t, scopedPolicy)
	c := call("alice", "a")
	c.Principal.Tenant = "acme"
	c.Session = &engine.Session{ID: "s-42"}
	d, err := e.Decide(context.Background(), c)
	require.NoError(t, err)
	assert.Equal(t, []engine.RateLimit{
		{Key: "tenant:acme|principal:alice|tool:echo", Limit: 1, Per: "1m"},
		{Key: "tenant:acme|principal:alice", Limit: 2, Per: "1h"},
		{Key: "tenant:acme|principal:alice|session:s-42", Limit: 3, Per: "1h", LocalFallback: true},
	}, d.RateLimits)
	assert.Equal(t, []engine.ConcurrencyLimit{
		{Key: "tenant:acme|principal:alice|tool:echo", Limit: 4},
		{Key: "tenant:acme|principal:alice|session:s-42", Limit: 5},
	}, d.Concurrency)
}

// Separators inside an identity are escaped, so no principal can name
// another principal's bucket: "alice|session:s-42" is not alice in session
// s-42, and tenant "a|principal:b" with id "c" is not tenant "a" with id
// "b|principal:c".
func TestKeysCannotBeForgedWithSeparators(t *testing.T) {
	t.Parallel()
	e := newEngine(t, scopedPolicy)
	keys := func(id, tenant, session string) map[string]bool {
		c := call(id, "a")
		c.Principal.Tenant = tenant
		if session != "" {
			c.Session = &engine.Session{ID: session}
		}
		d, err := e.Decide(context.Background(), c)
		require.NoError(t, err)
		out := map[string]bool{}
		for _, rl := range d.RateLimits {
			out[rl.Key] = true
		}
		return out
	}
	alice := keys("alice", "acme", "s-42")
	for _, forged := range []map[string]bool{
		keys("alice|session:s-42", "acme", ""),
		keys("alice|tool:echo", "acme", ""),
		keys("alice", "acme|principal:alice", ""),
	} {
		for k := range forged {
			assert.False(t, alice[k], "forged key %q names one of alice's buckets", k)
		}
	}
	assert.Equal(t, map[string]bool{"tenant:a|principal:b%7Cprincipal%3Ac|tool:echo": true, "tenant:a|principal:b%7Cprincipal%3Ac": true},
		keys("b|principal:c", "a", ""))
	assert.Equal(t, map[string]bool{"tenant:a%7Cprincipal%3Ab|principal:c|tool:echo": true, "tenant:a%7Cprincipal%3Ab|principal:c": true},
		keys("c", "a|principal:b", ""))
}

// Without a session id there is no session bucket (an empty session key
// would make every session-less call of a principal share one bucket under a
// misleading name); without a tenant the keys start with the principal.
func TestNoSessionNoSessionBucket(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]*engine.Session{"no session": nil, "empty id": {Agent: "codex"}} {
		c := call("alice", "a")
		c.Session = s
		d, err := newEngine(t, scopedPolicy).Decide(context.Background(), c)
		require.NoError(t, err, name)
		assert.Equal(t, []engine.RateLimit{
			{Key: "principal:alice|tool:echo", Limit: 1, Per: "1m"},
			{Key: "principal:alice", Limit: 2, Per: "1h"},
		}, d.RateLimits, name)
		assert.Equal(t, []engine.ConcurrencyLimit{{Key: "principal:alice|tool:echo", Limit: 4}}, d.Concurrency, name)
	}
}

// A bucket needs exactly one of key and scope, and a scope the engine knows.
func TestBadScopesDeny(t *testing.T) {
	t.Parallel()
	for name, bad := range map[string]string{
		"unknown scope": replace(scopedPolicy, `{"scope": "principal", "limit": 2`, `{"scope": "tenant", "limit": 2`),
		"key and scope": replace(scopedPolicy, `{"scope": "principal", "limit": 2`, `{"scope": "principal", "key": "k", "limit": 2`),
		"neither":       replace(scopedPolicy, `{"scope": "principal", "limit": 2`, `{"limit": 2`),
		"scope type":    replace(scopedPolicy, `{"scope": "principal", "limit": 2`, `{"scope": 7, "limit": 2`),
		"cap scope":     replace(scopedPolicy, `{"scope": "principal_tool", "limit": 4}`, `{"scope": "everyone", "limit": 4}`),
	} {
		d, err := newEngine(t, bad).Decide(context.Background(), call("alice", "a"))
		require.ErrorIs(t, err, engine.ErrPolicy, name)
		assert.False(t, d.Allow, name)
	}
}

// The default library's buckets, keyed: per principal and tool, per
// principal, per session; concurrency per principal and tool and per
// principal, tenant included.
func TestDefaultLibraryBucketKeys(t *testing.T) {
	t.Parallel()
	ps, err := engine.LoadDefault()
	require.NoError(t, err)
	e, err := engine.New(context.Background(), ps)
	require.NoError(t, err)
	d, err := e.Decide(context.Background(), engine.Call{
		Tool:      engine.Tool{Name: "fs.list_dir", Arguments: map[string]any{"path": "src"}},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}, Tenant: "acme"},
		Session:   &engine.Session{ID: "s-42"},
	})
	require.NoError(t, err)
	require.True(t, d.Allow, "%v", d.Violations)
	keys := func() (out []string) {
		for _, rl := range d.RateLimits {
			out = append(out, rl.Key)
		}
		for _, c := range d.Concurrency {
			out = append(out, c.Key)
		}
		return out
	}
	assert.Equal(t, []string{
		"tenant:acme|principal:alice|tool:fs.list_dir", "tenant:acme|principal:alice", "tenant:acme|principal:alice|session:s-42",
		"tenant:acme|principal:alice|tool:fs.list_dir", "tenant:acme|principal:alice",
	}, keys())
}
