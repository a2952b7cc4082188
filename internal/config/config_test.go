package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/config"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

func TestNoFileIsTheDefault(t *testing.T) {
	cfg, err := config.Load("")
	require.NoError(t, err)
	assert.Equal(t, config.Default(), cfg)
}

// The shipped config.yaml documents the defaults: loading it must give
// exactly what no file gives.
func TestShippedConfigMatchesDefaults(t *testing.T) {
	cfg, err := config.Load("../../config.yaml")
	require.NoError(t, err)
	assert.Equal(t, config.Default(), cfg)
}

func TestEnvironmentOverrides(t *testing.T) {
	t.Setenv("TOOLGATE_WORKSPACE", "/data/ws")
	t.Setenv("TOOLGATE_LIMITS_MAX_DEPTH", "8")
	cfg, err := config.Load(write(t, "workspace: /srv/other\n"))
	require.NoError(t, err)
	assert.Equal(t, "/data/ws", cfg.Workspace)
	assert.Equal(t, 8, cfg.Limits.MaxDepth)
}

func TestUnknownKeysAreErrors(t *testing.T) {
	_, err := config.Load(write(t, "workspace: /srv/work\nworkspcae: /tmp\n"))
	require.ErrorContains(t, err, "workspcae")
	_, err = config.Load(write(t, "limits:\n  max_dept: 3\n"))
	require.ErrorContains(t, err, "max_dept")
}

func TestSettingsKeepTheirKeys(t *testing.T) {
	cfg, err := config.Load(write(t, "settings:\n  tools_extra:\n    Shell.Exec: {limit: 3}\n  email_domains: [acme.example]\n"))
	require.NoError(t, err)
	assert.Equal(t, []any{"acme.example"}, cfg.Settings["email_domains"])
	extra := cfg.Settings["tools_extra"].(map[string]any)
	assert.Contains(t, extra, "Shell.Exec", "keys are neither lower-cased nor split on dots")
}

func TestValidation(t *testing.T) {
	cases := map[string]string{
		"relative workspace": "workspace: work\n",
		"two policy sources": "policies: {dir: p, bundle: b.tar.gz}\n",
		"file sink no path":  "audit: {sink: file}\n",
		"unknown sink":       "audit: {sink: kafka}\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := config.Load(write(t, body))
			require.Error(t, err)
		})
	}
}

func TestMissingFile(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"))
	require.Error(t, err)
}

// Every key, however deep, can be set from the environment: a key missing
// from the registered defaults would silently ignore its variable.
func TestEnvironmentReachesNestedKeys(t *testing.T) {
	t.Setenv("TOOLGATE_AUDIT_NATS_URL", "nats://127.0.0.1:4222")
	t.Setenv("TOOLGATE_SANDBOX_MAX_PROCS", "7")
	t.Setenv("TOOLGATE_SANDBOX_ALLOW_NETWORK", "false")
	t.Setenv("TOOLGATE_REDIS_ON_OUTAGE", "local_fallback")
	t.Setenv("TOOLGATE_SERVER_TLS_CERT_FILE", "/x/cert.pem")
	t.Setenv("TOOLGATE_SERVER_TLS_KEY_FILE", "/x/key.pem")
	cfg, err := config.Load("")
	require.NoError(t, err)
	assert.Equal(t, "nats://127.0.0.1:4222", cfg.Audit.NATS.URL)
	assert.Equal(t, int64(7), cfg.Sandbox.MaxProcs)
	assert.False(t, cfg.Sandbox.AllowNetwork)
	assert.Equal(t, "local_fallback", cfg.Redis.OnOutage)
	assert.Equal(t, "/x/cert.pem", cfg.Server.TLS.CertFile)
}
