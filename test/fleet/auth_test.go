package fleet

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/authn"
	"github.com/toolgate/toolgate/internal/testpolicies"
)

// Authentication and body bounds over the wire, through the real binary.
func TestAuthenticationOverTheWire(t *testing.T) {
	t.Parallel()
	const token = "fleet-token-0123456789"
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	tmp := t.TempDir()
	pub := filepath.Join(tmp, "jwt.pub")
	require.NoError(t, os.WriteFile(pub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600))
	dir := filepath.Join(tmp, "policies")
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
	r := startServe(t, fmt.Sprintf(`
policies: {dir: %q}
limits: {max_call_bytes: 2048}
auth:
  tokens: [{sha256: %s, id: dana, roles: [dev]}]
  jwt: {issuer: https://idp, audience: toolgate, keys: [{id: k1, algorithm: RS256, file: %q}]}
log: {level: error}
`, dir, authn.HashToken(token), pub))
	sign := func(k *rsa.PrivateKey, exp time.Duration, aud string) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
			"iss": "https://idp", "aud": aud, "sub": "ada", "roles": []string{"admin"},
			"exp": time.Now().Add(exp).Unix(),
		}).SignedString(k)
		require.NoError(t, err)
		return s
	}
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	shell := `{"tool": {"name": "shell.exec", "arguments": {}}}`
	cases := map[string]struct {
		body, bearer string
		status       int
	}{
		"no credential":   {shell, "", http.StatusUnauthorized},
		"forged":          {shell, sign(forger, time.Minute, "toolgate"), http.StatusUnauthorized},
		"expired":         {shell, sign(key, -time.Minute, "toolgate"), http.StatusUnauthorized},
		"wrong audience":  {shell, sign(key, time.Minute, "billing"), http.StatusUnauthorized},
		"alg none":        {shell, noneToken(t), http.StatusUnauthorized},
		"valid JWT":       {shell, sign(key, time.Minute, "toolgate"), http.StatusOK},
		"token, dev role": {shell, token, http.StatusForbidden},
		"claimed admin":   {call(testpolicies.ToolShell, "root", "admin"), token, http.StatusBadRequest},
		"oversized":       {`{"tool": {"name": "echo", "arguments": {"text": "` + strings.Repeat("x", 4096) + `"}}}`, token, http.StatusRequestEntityTooLarge},
		"malformed":       {`{"tool": `, token, http.StatusBadRequest},
	}
	for name, tc := range cases {
		var hdr []string
		if tc.bearer != "" {
			hdr = []string{"Authorization", "Bearer " + tc.bearer}
		}
		res, err := post(r.url+"/v1/check", tc.body, hdr...)
		require.NoError(t, err, name)
		assert.Equal(t, tc.status, res.status, "%s: %v", name, res.body)
	}
}

func noneToken(t *testing.T) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
		"iss": "https://idp", "aud": "toolgate", "sub": "ada", "roles": []string{"admin"},
		"exp": time.Now().Add(time.Minute).Unix(),
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	return s
}
