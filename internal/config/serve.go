package config

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Server configures policyctl serve.
type Server struct {
	// Addr is the listen address. Without authentication it must be a
	// loopback address.
	Addr              string        `mapstructure:"addr"`
	ReadHeaderTimeout time.Duration `mapstructure:"read_header_timeout"`
	ReadTimeout       time.Duration `mapstructure:"read_timeout"`
	WriteTimeout      time.Duration `mapstructure:"write_timeout"`
	IdleTimeout       time.Duration `mapstructure:"idle_timeout"`
	ShutdownTimeout   time.Duration `mapstructure:"shutdown_timeout"`
	// MaxBatch bounds the calls of one /v1/check/batch request.
	MaxBatch int `mapstructure:"max_batch"`
	// MaxBatchBytes bounds the body of one /v1/check/batch request. A
	// /v1/check body is bounded by limits.max_call_bytes.
	MaxBatchBytes int `mapstructure:"max_batch_bytes"`
	TLS           TLS `mapstructure:"tls"`
}

// TLS serves HTTPS; ClientCAFile also requires client certificates (mTLS).
type TLS struct {
	CertFile     string `mapstructure:"cert_file"`
	KeyFile      string `mapstructure:"key_file"`
	ClientCAFile string `mapstructure:"client_ca_file"`
}

// Auth says who may call the HTTP API. Neither tokens nor JWT keys: no
// authentication, loopback only, principal taken from the request.
type Auth struct {
	Tokens []Token `mapstructure:"tokens"`
	JWT    JWT     `mapstructure:"jwt"`
}

// Token maps one bearer token, stored as the hex SHA-256 of its text, to the
// principal it authenticates.
type Token struct {
	SHA256 string   `mapstructure:"sha256"`
	ID     string   `mapstructure:"id"`
	Roles  []string `mapstructure:"roles"`
	Tenant string   `mapstructure:"tenant"`
}

// JWT configures bearer JWTs: signature by one of Keys, iss, aud and exp
// checked; sub is the principal id, RolesClaim and TenantClaim the rest.
type JWT struct {
	Issuer      string        `mapstructure:"issuer"`
	Audience    string        `mapstructure:"audience"`
	Keys        []Key         `mapstructure:"keys"`
	Leeway      time.Duration `mapstructure:"leeway"`
	RolesClaim  string        `mapstructure:"roles_claim"`
	TenantClaim string        `mapstructure:"tenant_claim"`
}

// Key is a verification key: a PEM public key, or for HS* a secret, in File.
type Key struct {
	ID        string `mapstructure:"id"`
	Algorithm string `mapstructure:"algorithm"`
	File      string `mapstructure:"file"`
}

// Redis selects the fleet rate limiter. An empty URL keeps the in-memory one.
type Redis struct {
	URL string `mapstructure:"url"`
	// OnOutage is fail_closed or local_fallback.
	OnOutage  string        `mapstructure:"on_outage"`
	Timeout   time.Duration `mapstructure:"timeout"`
	KeyPrefix string        `mapstructure:"key_prefix"`
}

// Signing verifies signed bundles. With keys set, an unsigned or badly
// signed bundle is refused.
type Signing struct {
	Keys  []Key  `mapstructure:"keys"`
	Scope string `mapstructure:"scope"`
}

// Defaults of the serve-related keys.
const (
	DefaultServerAddr    = "127.0.0.1:8181"
	DefaultMaxBatch      = 64
	DefaultMaxBatchBytes = 8 << 20
	DefaultPollInterval  = 30 * time.Second
	DefaultRedisOutage   = "fail_closed"
	DefaultRedisTimeout  = 250 * time.Millisecond
	DefaultRedisPrefix   = "toolgate:"
	DefaultJWTLeeway     = 30 * time.Second
)

func defaultServer() Server {
	return Server{
		Addr:              DefaultServerAddr,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ShutdownTimeout:   20 * time.Second,
		MaxBatch:          DefaultMaxBatch,
		MaxBatchBytes:     DefaultMaxBatchBytes,
	}
}

func (c Config) validateServe() []error {
	var errs []error
	if c.Server.MaxBatch <= 0 || c.Server.MaxBatchBytes <= 0 {
		errs = append(errs, errors.New("server.max_batch and server.max_batch_bytes must be positive"))
	}
	if (c.Server.TLS.CertFile == "") != (c.Server.TLS.KeyFile == "") {
		errs = append(errs, errors.New("server.tls needs both cert_file and key_file"))
	}
	if c.Server.TLS.ClientCAFile != "" && c.Server.TLS.CertFile == "" {
		errs = append(errs, errors.New("server.tls.client_ca_file needs cert_file and key_file"))
	}
	for i, t := range c.Auth.Tokens {
		if b, err := hex.DecodeString(t.SHA256); err != nil || len(b) != 32 || t.ID == "" {
			errs = append(errs, fmt.Errorf("auth.tokens[%d]: needs sha256 (64 hex digits) and id", i))
		}
	}
	errs = append(errs, c.validateJWT()...)
	errs = append(errs, validateKeys("policies.signing.keys", c.Policies.Signing.Keys)...)
	if c.Redis.OnOutage != "fail_closed" && c.Redis.OnOutage != "local_fallback" {
		errs = append(errs, fmt.Errorf("redis.on_outage %q: want fail_closed or local_fallback", c.Redis.OnOutage))
	}
	if c.Policies.PollInterval <= 0 {
		errs = append(errs, errors.New("policies.poll_interval must be positive"))
	}
	return errs
}

func (c Config) validateJWT() []error {
	j := c.Auth.JWT
	if len(j.Keys) == 0 {
		return nil
	}
	errs := validateKeys("auth.jwt.keys", j.Keys)
	if j.Issuer == "" || j.Audience == "" {
		errs = append(errs, errors.New("auth.jwt needs issuer and audience: a token minted for another service must not pass"))
	}
	return errs
}

func validateKeys(field string, keys []Key) []error {
	var errs []error
	for i, k := range keys {
		if k.ID == "" || k.Algorithm == "" || k.File == "" {
			errs = append(errs, fmt.Errorf("%s[%d]: needs id, algorithm and file", field, i))
		}
	}
	return errs
}
