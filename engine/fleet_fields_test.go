package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// The optional fleet fields are read when present and absent otherwise.
func TestOptionalFleetFields(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy)
	d, err := e.Decide(context.Background(), call("alice", "a"))
	require.NoError(t, err)
	assert.Nil(t, d.Concurrency)
	assert.False(t, d.RateLimits[0].LocalFallback)

	p := replace(testPolicy,
		`"per": "1m"}]`, `"per": "1m", "local_fallback": true}]`,
		`"obligations": []`, `"obligations": [], "concurrency": [{"key": "principal:alice", "limit": 2}]`)
	d, err = newEngine(t, p).Decide(context.Background(), call("alice", "a"))
	require.NoError(t, err)
	assert.True(t, d.RateLimits[0].LocalFallback)
	assert.Equal(t, []engine.ConcurrencyLimit{{Key: "principal:alice", Limit: 2}}, d.Concurrency)

	for name, bad := range map[string]string{
		"fallback not bool": replace(testPolicy, `"per": "1m"}]`, `"per": "1m", "local_fallback": "yes"}]`),
		"zero cap":          replace(testPolicy, `"obligations": []`, `"obligations": [], "concurrency": [{"key": "k", "limit": 0}]`),
		"cap not array":     replace(testPolicy, `"obligations": []`, `"obligations": [], "concurrency": {"key": "k"}`),
	} {
		_, err := newEngine(t, bad).Decide(context.Background(), call("alice", "a"))
		require.ErrorIs(t, err, engine.ErrPolicy, name)
	}
}

// Tools lists the catalog tools whose decision has no authorization
// violation for the principal.
func TestToolsListing(t *testing.T) {
	t.Parallel()
	policy := replace(testPolicy, `violations := [v | leaves;`, `violations := array.concat(authn, paths)

authn := [v | input.principal.id == ""; v := {"code": "unauthenticated", "severity": "high", "message": "m"}]

paths := [v | leaves;`)
	e := newEngine(t, policy)
	tools, err := e.Tools(context.Background(), engine.Principal{ID: "alice"})
	require.NoError(t, err)
	assert.Equal(t, []engine.ToolInfo{{Name: "echo", Class: "fs_read"}}, tools)
	tools, err = e.Tools(context.Background(), engine.Principal{})
	require.NoError(t, err)
	assert.Empty(t, tools)
}
