package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/config"
)

const tokenHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestServeKeys(t *testing.T) {
	cfg, err := config.Load(write(t, `
server: {addr: "0.0.0.0:9000", max_batch: 8, read_timeout: 2s}
auth:
  tokens: [{sha256: `+tokenHash+`, id: ci, roles: [ci], tenant: acme}]
  jwt: {issuer: https://idp, audience: toolgate, keys: [{id: k1, algorithm: RS256, file: /k.pem}]}
redis: {url: "redis://127.0.0.1:6379/0", on_outage: local_fallback}
policies:
  url: https://bundles.example/toolgate.tar.gz
  watch: true
  poll_interval: 5s
  signing: {keys: [{id: k1, algorithm: RS256, file: /b.pub}]}
`))
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:9000", cfg.Server.Addr)
	assert.Equal(t, 8, cfg.Server.MaxBatch)
	assert.Equal(t, 2*time.Second, cfg.Server.ReadTimeout)
	assert.Equal(t, config.DefaultMaxBatchBytes, cfg.Server.MaxBatchBytes, "unset keys keep their default")
	assert.Equal(t, []config.Token{{SHA256: tokenHash, ID: "ci", Roles: []string{"ci"}, Tenant: "acme"}}, cfg.Auth.Tokens)
	assert.Equal(t, "roles", cfg.Auth.JWT.RolesClaim)
	assert.Equal(t, "local_fallback", cfg.Redis.OnOutage)
	assert.Equal(t, 5*time.Second, cfg.Policies.PollInterval)
	assert.Len(t, cfg.Policies.Signing.Keys, 1)
}

func TestServeEnvironment(t *testing.T) {
	t.Setenv("TOOLGATE_SERVER_ADDR", "127.0.0.1:9999")
	t.Setenv("TOOLGATE_REDIS_URL", "redis://127.0.0.1:6380/1")
	t.Setenv("TOOLGATE_POLICIES_WATCH", "true")
	cfg, err := config.Load("")
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9999", cfg.Server.Addr)
	assert.Equal(t, "redis://127.0.0.1:6380/1", cfg.Redis.URL)
	assert.True(t, cfg.Policies.Watch)
}

func TestServeValidation(t *testing.T) {
	cases := map[string]string{
		"three sources":     "policies: {dir: p, url: https://x/b.tar.gz}\n",
		"outage mode":       "redis: {on_outage: fail_open}\n",
		"short token hash":  "auth: {tokens: [{sha256: abc, id: x}]}\n",
		"token without id":  "auth: {tokens: [{sha256: " + tokenHash + "}]}\n",
		"jwt no audience":   "auth: {jwt: {issuer: i, keys: [{id: k, algorithm: RS256, file: f}]}}\n",
		"jwt key no file":   "auth: {jwt: {issuer: i, audience: a, keys: [{id: k, algorithm: RS256}]}}\n",
		"signing key":       "policies: {signing: {keys: [{id: k}]}}\n",
		"half tls":          "server: {tls: {cert_file: c}}\n",
		"client ca no cert": "server: {tls: {client_ca_file: ca}}\n",
		"zero batch":        "server: {max_batch: 0}\n",
		"poll interval":     "policies: {poll_interval: 0s}\n",
		"unknown key":       "redis: {uri: redis://x}\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := config.Load(write(t, body))
			require.Error(t, err)
		})
	}
}
