package authn

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
)

// minHMACKeyBytes is the shortest HS* secret accepted (RFC 7518 §3.2: a key
// at least as long as the hash output).
const minHMACKeyBytes = 32

// JWT verifies bearer JWTs: the signature by a configured key with that
// key's algorithm only (so alg "none" and RS/HS confusion cannot pass), then
// iss, aud and exp (required), nbf and iat when present.
type JWT struct {
	keys        map[string]verifyKey
	parser      *jwt.Parser
	rolesClaim  string
	tenantClaim string
}

type verifyKey struct {
	alg string
	key any
}

// NewJWT reads the configured keys.
func NewJWT(cfg config.JWT) (*JWT, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("auth.jwt: issuer and audience are required")
	}
	j := &JWT{keys: map[string]verifyKey{}, rolesClaim: cfg.RolesClaim, tenantClaim: cfg.TenantClaim}
	var algs []string
	for _, k := range cfg.Keys {
		vk, err := loadKey(k)
		if err != nil {
			return nil, err
		}
		j.keys[k.ID] = vk
		algs = append(algs, vk.alg)
	}
	j.parser = newParser(cfg, algs, time.Now)
	return j, nil
}

func newParser(cfg config.JWT, algs []string, now func() time.Time) *jwt.Parser {
	return jwt.NewParser(
		jwt.WithValidMethods(algs),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(now),
	)
}

func loadKey(k config.Key) (verifyKey, error) {
	raw, err := os.ReadFile(k.File)
	if err != nil {
		return verifyKey{}, fmt.Errorf("auth.jwt key %q: %w", k.ID, err)
	}
	var key any
	switch alg := k.Algorithm; {
	case strings.HasPrefix(alg, "RS"), strings.HasPrefix(alg, "PS"):
		key, err = jwt.ParseRSAPublicKeyFromPEM(raw)
	case strings.HasPrefix(alg, "ES"):
		key, err = jwt.ParseECPublicKeyFromPEM(raw)
	case alg == "EdDSA":
		key, err = jwt.ParseEdPublicKeyFromPEM(raw)
	case strings.HasPrefix(alg, "HS"):
		key, err = hmacKey(raw)
	default:
		err = fmt.Errorf("algorithm %q is not supported", alg)
	}
	if err == nil && jwt.GetSigningMethod(k.Algorithm) == nil {
		err = fmt.Errorf("algorithm %q is not supported", k.Algorithm)
	}
	if err != nil {
		return verifyKey{}, fmt.Errorf("auth.jwt key %q: %w", k.ID, err)
	}
	return verifyKey{alg: k.Algorithm, key: key}, nil
}

func hmacKey(raw []byte) ([]byte, error) {
	secret := []byte(strings.TrimRight(string(raw), "\r\n"))
	if len(secret) < minHMACKeyBytes {
		return nil, fmt.Errorf("HMAC secret is %d bytes, need at least %d", len(secret), minHMACKeyBytes)
	}
	return secret, nil
}

// Verify checks raw and returns the principal its claims name.
func (j *JWT) Verify(raw string) (engine.Principal, error) {
	claims := jwt.MapClaims{}
	if _, err := j.parser.ParseWithClaims(raw, claims, j.keyFor); err != nil {
		return engine.Principal{}, fail(reasonOf(err), err)
	}
	return j.principal(claims)
}

// keyFor picks the key named by the kid header (or the only key) and makes
// sure the token's alg is that key's algorithm.
func (j *JWT) keyFor(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	if kid == "" && len(j.keys) == 1 {
		for id := range j.keys {
			kid = id
		}
	}
	k, ok := j.keys[kid]
	if !ok {
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	if t.Method.Alg() != k.alg {
		return nil, fmt.Errorf("key %q is for %s, token says %s", kid, k.alg, t.Method.Alg())
	}
	return k.key, nil
}

func (j *JWT) principal(c jwt.MapClaims) (engine.Principal, error) {
	sub, err := c.GetSubject()
	if err != nil || sub == "" {
		return engine.Principal{}, fail(ReasonClaims, errors.New("sub is missing"))
	}
	p := engine.Principal{ID: sub, Roles: []string{}}
	if v, ok := c[j.rolesClaim]; ok {
		roles, ok := stringList(v)
		if !ok {
			return engine.Principal{}, fail(ReasonClaims, fmt.Errorf("claim %q must be a list of strings", j.rolesClaim))
		}
		p.Roles = roles
	}
	if v, ok := c[j.tenantClaim]; ok {
		s, ok := v.(string)
		if !ok {
			return engine.Principal{}, fail(ReasonClaims, fmt.Errorf("claim %q must be a string", j.tenantClaim))
		}
		p.Tenant = s
	}
	return p, nil
}

func stringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

func reasonOf(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return ReasonMalformed
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenNotValidYet),
		errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return ReasonExpired
	case errors.Is(err, jwt.ErrTokenInvalidAudience), errors.Is(err, jwt.ErrTokenInvalidIssuer),
		errors.Is(err, jwt.ErrTokenRequiredClaimMissing), errors.Is(err, jwt.ErrTokenInvalidClaims):
		return ReasonClaims
	}
	return ReasonSignature
}
