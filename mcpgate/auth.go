package mcpgate

import (
	"errors"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/auth"

	"github.com/toolgate/toolgate/engine"
)

// StaticPrincipal names every request's caller p: for a proxy that only
// listens on loopback, or sits behind a gateway that already authenticated.
func StaticPrincipal(p engine.Principal) PrincipalFunc {
	return func(*http.Request) (engine.Principal, error) { return p, nil }
}

// tenantKey is the TokenInfo.Extra key holding the principal's tenant.
const tenantKey = "tenant"

// TokenPrincipal reads the caller from the bearer token that
// auth.RequireBearerToken verified: see PrincipalFromTokenInfo. A request
// without one is refused.
func TokenPrincipal(r *http.Request) (engine.Principal, error) {
	return PrincipalFromTokenInfo(auth.TokenInfoFromContext(r.Context()))
}

// PrincipalFromTokenInfo maps a verified bearer token to the principal:
// UserID is the principal id, Scopes are its roles, Extra["tenant"] its
// tenant. A missing token, or one without a user, is an error.
func PrincipalFromTokenInfo(info *auth.TokenInfo) (engine.Principal, error) {
	if info == nil || info.UserID == "" {
		return engine.Principal{}, errors.New("the request carries no verified bearer token")
	}
	tenant, _ := info.Extra[tenantKey].(string)
	return engine.Principal{ID: info.UserID, Roles: info.Scopes, Tenant: tenant}, nil
}
