package authn_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/authn"
	"github.com/toolgate/toolgate/internal/config"
)

const (
	issuer   = "https://idp.example"
	audience = "toolgate"
	token    = "s3cret-token-for-ci"
)

type fixture struct {
	auth   authn.Authenticator
	key    *rsa.PrivateKey
	other  *rsa.PrivateKey
	pubPEM []byte
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	dir := t.TempDir()
	pubFile := filepath.Join(dir, "jwt.pub")
	require.NoError(t, os.WriteFile(pubFile, pubPEM, 0o600))
	cfg := config.Default()
	cfg.Auth.Tokens = []config.Token{{SHA256: authn.HashToken(token), ID: "ci-bot", Roles: []string{"ci"}, Tenant: "acme"}}
	cfg.Auth.JWT.Issuer, cfg.Auth.JWT.Audience = issuer, audience
	cfg.Auth.JWT.Keys = []config.Key{{ID: "k1", Algorithm: "RS256", File: pubFile}}
	a, err := authn.New(cfg)
	require.NoError(t, err)
	return fixture{auth: a, key: key, other: other, pubPEM: pubPEM}
}

func claims(mod func(jwt.MapClaims)) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"iss": issuer, "aud": audience, "sub": "alice",
		"exp": now.Add(time.Minute).Unix(), "iat": now.Add(-time.Second).Unix(),
		"roles": []string{"developer"}, "tenant": "acme",
	}
	if mod != nil {
		mod(c)
	}
	return c
}

func sign(t *testing.T, m jwt.SigningMethod, key any, c jwt.MapClaims, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func request(bearer string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/v1/check", nil)
	if bearer != "" {
		r.Header.Set("Authorization", "Bearer "+bearer)
	}
	return r
}

func TestValidCredentials(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p, err := f.auth.Authenticate(request(sign(t, jwt.SigningMethodRS256, f.key, claims(nil), "k1")))
	require.NoError(t, err)
	assert.Equal(t, engine.Principal{ID: "alice", Roles: []string{"developer"}, Tenant: "acme"}, p)
	p, err = f.auth.Authenticate(request(sign(t, jwt.SigningMethodRS256, f.key, claims(nil), "")))
	require.NoError(t, err, "with one key, kid may be omitted")
	assert.Equal(t, "alice", p.ID)
	p, err = f.auth.Authenticate(request(token))
	require.NoError(t, err)
	assert.Equal(t, engine.Principal{ID: "ci-bot", Roles: []string{"ci"}, Tenant: "acme"}, p)
}

// noneToken builds an unsigned token by hand, as an attacker would.
func noneToken(c jwt.MapClaims) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodNone, c)
	s, _ := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	return s
}

func TestAttacksAreRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	past := func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() }
	cases := map[string]struct {
		bearer string
		reason string
	}{
		"no credential":     {"", authn.ReasonMissing},
		"unknown token":     {"guess", authn.ReasonUnknownToken},
		"forged signature":  {sign(t, jwt.SigningMethodRS256, f.other, claims(nil), "k1"), authn.ReasonSignature},
		"expired":           {sign(t, jwt.SigningMethodRS256, f.key, claims(past), "k1"), authn.ReasonExpired},
		"wrong audience":    {sign(t, jwt.SigningMethodRS256, f.key, claims(func(c jwt.MapClaims) { c["aud"] = "other" }), "k1"), authn.ReasonClaims},
		"wrong issuer":      {sign(t, jwt.SigningMethodRS256, f.key, claims(func(c jwt.MapClaims) { c["iss"] = "https://evil" }), "k1"), authn.ReasonClaims},
		"no exp":            {sign(t, jwt.SigningMethodRS256, f.key, claims(func(c jwt.MapClaims) { delete(c, "exp") }), "k1"), authn.ReasonClaims},
		"no sub":            {sign(t, jwt.SigningMethodRS256, f.key, claims(func(c jwt.MapClaims) { delete(c, "sub") }), "k1"), authn.ReasonClaims},
		"roles not strings": {sign(t, jwt.SigningMethodRS256, f.key, claims(func(c jwt.MapClaims) { c["roles"] = "admin" }), "k1"), authn.ReasonClaims},
		"alg none":          {noneToken(claims(nil)), authn.ReasonSignature},
		"alg confusion":     {sign(t, jwt.SigningMethodHS256, f.pubPEM, claims(nil), "k1"), authn.ReasonSignature},
		"unknown kid":       {sign(t, jwt.SigningMethodRS256, f.key, claims(nil), "k2"), authn.ReasonSignature},
		"garbage jwt":       {"a.b.c", authn.ReasonMalformed},
		"tampered payload":  {tamper(sign(t, jwt.SigningMethodRS256, f.key, claims(nil), "k1")), authn.ReasonSignature},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := f.auth.Authenticate(request(tc.bearer))
			var ae *authn.Error
			require.True(t, errors.As(err, &ae), "got %v", err)
			assert.Equal(t, tc.reason, ae.Reason, "%v", err)
		})
	}
}

// tamper swaps the payload for one naming another subject, keeping the
// signature.
func tamper(tok string) string {
	parts := splitDots(tok)
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"` + issuer + `","aud":"` + audience +
		`","sub":"root","exp":9999999999}`))
	return parts[0] + "." + payload + "." + parts[2]
}

func splitDots(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestMalformedHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, h := range [][]string{{"Basic YWxpY2U6cHc="}, {"Bearer"}, {"Bearer " + token, "Bearer " + token}} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		for _, v := range h {
			r.Header.Add("Authorization", v)
		}
		_, err := f.auth.Authenticate(r)
		var ae *authn.Error
		require.ErrorAs(t, err, &ae, "%v", h)
		assert.Equal(t, authn.ReasonMalformed, ae.Reason)
	}
}

func TestNoAuthConfigured(t *testing.T) {
	t.Parallel()
	a, err := authn.New(config.Default())
	require.NoError(t, err)
	assert.Nil(t, a)
}

func TestBadConfigFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	short := filepath.Join(dir, "short")
	require.NoError(t, os.WriteFile(short, []byte("tooshort"), 0o600))
	base := config.JWT{Issuer: issuer, Audience: audience}
	cases := map[string]config.JWT{
		"missing file":   withKey(base, config.Key{ID: "k", Algorithm: "RS256", File: filepath.Join(dir, "nope")}),
		"short hmac":     withKey(base, config.Key{ID: "k", Algorithm: "HS256", File: short}),
		"not a pem":      withKey(base, config.Key{ID: "k", Algorithm: "RS256", File: short}),
		"alg none":       withKey(base, config.Key{ID: "k", Algorithm: "none", File: short}),
		"no audience":    withKey(config.JWT{Issuer: issuer}, config.Key{ID: "k", Algorithm: "RS256", File: short}),
		"unknown hs alg": withKey(base, config.Key{ID: "k", Algorithm: "HS999", File: short}),
	}
	for name, j := range cases {
		_, err := authn.NewJWT(j)
		require.Error(t, err, name)
	}
	_, err := authn.NewTokens([]config.Token{{SHA256: "abc", ID: "x"}})
	require.Error(t, err)
	_, err = authn.NewTokens([]config.Token{{SHA256: authn.HashToken("a"), ID: ""}})
	require.Error(t, err)
	_, err = authn.NewTokens([]config.Token{{SHA256: authn.HashToken("a"), ID: "x"}, {SHA256: authn.HashToken("a"), ID: "y"}})
	require.Error(t, err)
}

func withKey(j config.JWT, k config.Key) config.JWT {
	j.Keys = []config.Key{k}
	return j
}

func TestClientCertificate(t *testing.T) {
	t.Parallel()
	cert := &x509.Certificate{Subject: pkix.Name{CommonName: "svc-a", OrganizationalUnit: []string{"gateway"}, Organization: []string{"acme"}}}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.TLS = &tls.ConnectionState{VerifiedChains: [][]*x509.Certificate{{cert}}}
	p, err := authn.FromClientCert(r)
	require.NoError(t, err)
	assert.Equal(t, engine.Principal{ID: "svc-a", Roles: []string{"gateway"}, Tenant: "acme"}, p)
	_, err = authn.FromClientCert(httptest.NewRequest(http.MethodGet, "/", nil))
	require.Error(t, err)
}
