package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/authn"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/httpapi"
)

const (
	devToken = "dev-token-0123456789"
	issuer   = "https://idp.example"
	audience = "toolgate-api"
)

type authEnv struct {
	env
	key *rsa.PrivateKey
}

func newAuthEnv(t *testing.T) authEnv {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	pub := filepath.Join(t.TempDir(), "jwt.pub")
	require.NoError(t, os.WriteFile(pub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600))
	cfg := config.Default()
	cfg.Auth.Tokens = []config.Token{{SHA256: authn.HashToken(devToken), ID: "dana", Roles: []string{"dev"}}}
	cfg.Auth.JWT.Issuer, cfg.Auth.JWT.Audience = issuer, audience
	cfg.Auth.JWT.Keys = []config.Key{{ID: "k1", Algorithm: "RS256", File: pub}}
	a, err := authn.New(cfg)
	require.NoError(t, err)
	return authEnv{env: newEnv(t, nil, httpapi.WithAuthenticator(a)), key: key}
}

func (a authEnv) jwt(t *testing.T, key any, m jwt.SigningMethod, mod func(jwt.MapClaims)) string {
	t.Helper()
	c := jwt.MapClaims{"iss": issuer, "aud": audience, "sub": "ada", "roles": []string{"admin"},
		"exp": time.Now().Add(time.Minute).Unix()}
	if mod != nil {
		mod(c)
	}
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	require.NoError(t, err)
	return s
}

// The principal is the credential's; no credential or a bad one is 401.
func TestAuthenticatedPrincipal(t *testing.T) {
	t.Parallel()
	a := newAuthEnv(t)
	echo := callJSON("echo", "", nil, map[string]any{})
	shell := callJSON("shell.exec", "", nil, map[string]any{})

	r := a.do(t, "POST", "/v1/check", echo)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, "unauthenticated", r.errorCode(t))
	assert.Contains(t, r.header.Get("WWW-Authenticate"), "Bearer")

	bearer := "Bearer " + devToken
	assert.Equal(t, http.StatusOK, a.do(t, "POST", "/v1/check", echo, "Authorization", bearer).status)
	assert.Equal(t, http.StatusForbidden, a.do(t, "POST", "/v1/check", shell, "Authorization", bearer).status,
		"the token maps to role dev, which may not run shell.exec")
	claimed := callJSON("shell.exec", "root", []string{"admin"}, map[string]any{})
	r = a.do(t, "POST", "/v1/check", claimed, "Authorization", bearer)
	assert.Equal(t, http.StatusBadRequest, r.status, "a body cannot name its own principal")

	jwtBearer := "Bearer " + a.jwt(t, a.key, jwt.SigningMethodRS256, nil)
	assert.Equal(t, http.StatusOK, a.do(t, "POST", "/v1/check", shell, "Authorization", jwtBearer).status,
		"the JWT's roles claim says admin")
	r = a.do(t, "GET", "/v1/tools?role=admin", "", "Authorization", bearer)
	require.Equal(t, http.StatusOK, r.status)
	assert.Len(t, r.json(t)["tools"], 1, "query parameters do not change the authenticated principal")
	assert.Equal(t, http.StatusOK, a.do(t, "GET", "/healthz", "").status, "probes need no credential")
}

func TestAuthAttacks(t *testing.T) {
	t.Parallel()
	a := newAuthEnv(t)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"iss": issuer, "aud": audience,
		"sub": "ada", "exp": time.Now().Add(time.Minute).Unix()}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	attacks := map[string]string{
		"forged":         a.jwt(t, other, jwt.SigningMethodRS256, nil),
		"expired":        a.jwt(t, a.key, jwt.SigningMethodRS256, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() }),
		"wrong audience": a.jwt(t, a.key, jwt.SigningMethodRS256, func(c jwt.MapClaims) { c["aud"] = "billing" }),
		"alg none":       none,
		"guessed token":  "dev-token-0123456788",
	}
	for name, tok := range attacks {
		r := a.do(t, "POST", "/v1/check", callJSON("echo", "", nil, map[string]any{}), "Authorization", "Bearer "+tok)
		assert.Equal(t, http.StatusUnauthorized, r.status, name)
		assert.Equal(t, "unauthenticated", r.errorCode(t), name)
	}
	m := string(a.do(t, "GET", "/metrics", "").body)
	assert.Contains(t, m, `toolgate_auth_failures_total{reason="signature"} 2`)
	assert.Contains(t, m, `toolgate_auth_failures_total{reason="expired"} 1`)
	assert.Contains(t, m, `toolgate_auth_failures_total{reason="claims"} 1`)
	assert.Contains(t, m, `toolgate_auth_failures_total{reason="unknown_token"} 1`)
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"127.0.0.1:8181": true, "[::1]:8181": true, "localhost:1": true, "127.9.9.9:1": true,
		"0.0.0.0:8181": false, ":8181": false, "[::]:1": false, "10.0.0.1:1": false,
		"[::ffff:127.0.0.1]:1": true, "example.com:80": false, "nonsense": false,
	} {
		assert.Equal(t, want, httpapi.IsLoopback(addr), addr)
	}
}
