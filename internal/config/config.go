// Package config reads toolgate's configuration: config.yaml (optional),
// overridden by TOOLGATE_* environment variables. Unknown keys are an error.
package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/viper"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/engine"
)

// EnvPrefix prefixes environment overrides: TOOLGATE_WORKSPACE,
// TOOLGATE_AUDIT_SINK, TOOLGATE_LIMITS_MAX_DEPTH, …
const EnvPrefix = "TOOLGATE"

// Config is the whole configuration. Every key is documented in config.yaml.
type Config struct {
	Workspace string        `mapstructure:"workspace"`
	Policies  Policies      `mapstructure:"policies"`
	Limits    engine.Limits `mapstructure:"limits"`
	Audit     audit.Config  `mapstructure:"audit"`
	Log       Log           `mapstructure:"log"`
	Server    Server        `mapstructure:"server"`
	Auth      Auth          `mapstructure:"auth"`
	Redis     Redis         `mapstructure:"redis"`
	Sandbox   Sandbox       `mapstructure:"sandbox"`
	// Settings overrides top-level keys of data.toolgate.settings. It is read
	// from the YAML directly (not through viper) because viper lower-cases
	// and splits keys on dots, which would mangle tool names.
	Settings map[string]any `mapstructure:"settings"`
}

// Policies says where the policy set comes from; both empty means the
// embedded defaults.
type Policies struct {
	Dir    string `mapstructure:"dir"`
	Bundle string `mapstructure:"bundle"`
	// URL is an HTTP(S) bundle, polled with ETag when Watch is set.
	URL string `mapstructure:"url"`
	// Watch reloads live: fsnotify for Dir, polling for Bundle and URL.
	Watch        bool          `mapstructure:"watch"`
	PollInterval time.Duration `mapstructure:"poll_interval"`
	// RunTests makes a set pass its own _test.rego before it is used.
	RunTests bool    `mapstructure:"run_tests"`
	Signing  Signing `mapstructure:"signing"`
}

// Log configures operational logging (not the audit trail).
type Log struct {
	Level string `mapstructure:"level"`
}

// Default is the configuration with no file and no environment.
func Default() Config {
	return Config{
		Workspace: engine.DefaultWorkspace,
		Limits: engine.Limits{
			MaxCallBytes:   engine.DefaultMaxCallBytes,
			MaxDepth:       engine.DefaultMaxDepth,
			MaxKeys:        engine.DefaultMaxKeys,
			MaxStringBytes: engine.DefaultMaxStringBytes,
			MaxNameBytes:   engine.DefaultMaxNameBytes,
		},
		Audit: audit.Config{
			Sink:            audit.SinkNone,
			Fsync:           audit.FsyncModeInterval,
			FsyncIntervalMS: int(audit.DefaultFsyncInterval / time.Millisecond),
			Redact:          audit.RedactModeErase,
			Labels:          map[string]string{},
		},
		Log:      Log{Level: "warn"},
		Policies: Policies{PollInterval: DefaultPollInterval, RunTests: true, Signing: Signing{Keys: []Key{}}},
		Server:   defaultServer(),
		Auth: Auth{Tokens: []Token{}, JWT: JWT{Keys: []Key{}, Leeway: DefaultJWTLeeway,
			RolesClaim: "roles", TenantClaim: "tenant"}},
		Sandbox: defaultSandbox(),
		Redis: Redis{OnOutage: DefaultRedisOutage, Timeout: DefaultRedisTimeout,
			KeyPrefix: DefaultRedisPrefix},
	}
}

// Load reads path (empty: no file) and the environment.
func Load(path string) (Config, error) {
	v := viper.New()
	setDefaults(v, Default())
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	var settings map[string]any
	if path != "" {
		v.SetConfigFile(path)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
		var err error
		if settings, err = readSettings(path); err != nil {
			return Config{}, err
		}
	}
	var cfg Config
	if err := v.UnmarshalExact(&cfg); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	cfg.Settings = settings
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	var errs []error
	if !strings.HasPrefix(c.Workspace, "/") {
		errs = append(errs, fmt.Errorf("workspace %q must be an absolute path", c.Workspace))
	}
	if countSet(c.Policies.Dir, c.Policies.Bundle, c.Policies.URL) > 1 {
		errs = append(errs, errors.New("policies.dir, policies.bundle and policies.url are exclusive"))
	}
	if err := c.Audit.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Sandbox.validate(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.validateServe()...)
	return errors.Join(errs...)
}

func countSet(vals ...string) int {
	n := 0
	for _, v := range vals {
		if v != "" {
			n++
		}
	}
	return n
}

// readSettings reads the settings: section of the YAML file verbatim.
func readSettings(path string) (map[string]any, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return parseSettings(raw)
}
