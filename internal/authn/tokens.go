package authn

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
)

// Tokens authenticates static bearer tokens. Only their SHA-256 is kept, in
// the configuration and in memory, so a leaked config file leaks no token.
// Lookup is by the hash: its timing tells an attacker nothing about a token.
type Tokens struct {
	byHash map[[sha256.Size]byte]engine.Principal
}

// NewTokens indexes the configured tokens.
func NewTokens(tokens []config.Token) (*Tokens, error) {
	t := &Tokens{byHash: make(map[[sha256.Size]byte]engine.Principal, len(tokens))}
	for i, tok := range tokens {
		b, err := hex.DecodeString(tok.SHA256)
		if err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("auth.tokens[%d]: sha256 must be 64 hex digits", i)
		}
		if tok.ID == "" {
			return nil, fmt.Errorf("auth.tokens[%d]: id is required", i)
		}
		var h [sha256.Size]byte
		copy(h[:], b)
		if _, dup := t.byHash[h]; dup {
			return nil, fmt.Errorf("auth.tokens[%d]: the same token is configured twice", i)
		}
		t.byHash[h] = engine.Principal{ID: tok.ID, Roles: append([]string{}, tok.Roles...), Tenant: tok.Tenant}
	}
	return t, nil
}

// Lookup returns the principal of token.
func (t *Tokens) Lookup(token string) (engine.Principal, error) {
	p, ok := t.byHash[sha256.Sum256([]byte(token))]
	if !ok {
		return engine.Principal{}, fail(ReasonUnknownToken, errors.New("no configured token matches"))
	}
	p.Roles = append([]string{}, p.Roles...)
	return p, nil
}

// HashToken is what auth.tokens[].sha256 holds for token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
