// Package authn authenticates callers of the HTTP API: static bearer tokens
// mapped to principals, JWTs verified against configured keys, and client
// certificates (mTLS). The principal of a call comes from here, never from
// what the caller writes in the request body.
package authn

import (
	"errors"
	"net/http"
	"strings"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
)

// Failure reasons. They label metrics; their set never grows with input.
const (
	ReasonMissing      = "missing"       // no credential
	ReasonMalformed    = "malformed"     // not a bearer token, not a JWT
	ReasonUnknownToken = "unknown_token" // no configured token matches
	ReasonSignature    = "signature"     // bad signature, unknown key, alg refused
	ReasonExpired      = "expired"       // exp passed, nbf or iat in the future
	ReasonClaims       = "claims"        // wrong iss or aud, missing or ill-typed claims
)

// Error is an authentication failure. Reason is one of the Reason consts;
// Err is the detail for logs. Callers see only that authentication failed.
type Error struct {
	Reason string
	Err    error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "authentication failed: " + e.Reason
	}
	return "authentication failed: " + e.Reason + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

func fail(reason string, err error) *Error { return &Error{Reason: reason, Err: err} }

// Authenticator turns a request's credential into a principal.
type Authenticator interface {
	Authenticate(r *http.Request) (engine.Principal, error)
}

// New builds the authenticator cfg describes, or nil when no authentication
// is configured (the caller must then restrict itself to loopback).
func New(cfg config.Config) (Authenticator, error) {
	var c chain
	if len(cfg.Auth.Tokens) > 0 {
		t, err := NewTokens(cfg.Auth.Tokens)
		if err != nil {
			return nil, err
		}
		c.tokens = t
	}
	if len(cfg.Auth.JWT.Keys) > 0 {
		j, err := NewJWT(cfg.Auth.JWT)
		if err != nil {
			return nil, err
		}
		c.jwt = j
	}
	c.certs = cfg.Server.TLS.ClientCAFile != ""
	if c.tokens == nil && c.jwt == nil && !c.certs {
		return nil, nil
	}
	return &c, nil
}

// chain tries a bearer credential first (a JWT when it has the JWT shape and
// JWTs are configured, else a static token), then a verified client
// certificate.
type chain struct {
	tokens *Tokens
	jwt    *JWT
	certs  bool
}

func (c *chain) Authenticate(r *http.Request) (engine.Principal, error) {
	raw, err := bearer(r)
	switch {
	case err != nil:
		return engine.Principal{}, err
	case raw != "" && c.jwt != nil && looksLikeJWT(raw):
		return c.jwt.Verify(raw)
	case raw != "" && c.tokens != nil:
		return c.tokens.Lookup(raw)
	case raw != "":
		return engine.Principal{}, fail(ReasonMalformed, errors.New("bearer credential of a kind that is not configured"))
	case c.certs:
		return FromClientCert(r)
	}
	return engine.Principal{}, fail(ReasonMissing, nil)
}

// bearer returns the token of an "Authorization: Bearer" header, "" when
// there is no Authorization header.
func bearer(r *http.Request) (string, error) {
	h := r.Header.Values("Authorization")
	switch {
	case len(h) == 0:
		return "", nil
	case len(h) > 1:
		return "", fail(ReasonMalformed, errors.New("more than one Authorization header"))
	}
	scheme, tok, ok := strings.Cut(h[0], " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", fail(ReasonMalformed, errors.New("the Authorization header is not a Bearer credential"))
	}
	return tok, nil
}

func looksLikeJWT(s string) bool { return strings.Count(s, ".") == 2 }
