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
// auth.RequireBearerToken verified: UserID is the principal id, Scopes are
// its roles, Extra["tenant"] its tenant. A request without one is refused.
func TokenPrincipal(r *http.Request) (engine.Principal, error) {
	info := auth.TokenInfoFromContext(r.Context())
	if info == nil || info.UserID == "" {
		return engine.Principal{}, errors.New("the request carries no verified bearer token")
	}
	tenant, _ := info.Extra[tenantKey].(string)
	return engine.Principal{ID: info.UserID, Roles: info.Scopes, Tenant: tenant}, nil
}
