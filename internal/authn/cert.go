package authn

import (
	"errors"
	"net/http"

	"github.com/toolgate/toolgate/engine"
)

// FromClientCert reads the principal from the verified client certificate
// of an mTLS connection: subject CommonName is the id, OrganizationalUnit
// values the roles, the first Organization the tenant. The TLS layer has
// already verified the chain against server.tls.client_ca_file.
func FromClientCert(r *http.Request) (engine.Principal, error) {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || len(r.TLS.VerifiedChains[0]) == 0 {
		return engine.Principal{}, fail(ReasonMissing, errors.New("no verified client certificate"))
	}
	subj := r.TLS.VerifiedChains[0][0].Subject
	if subj.CommonName == "" {
		return engine.Principal{}, fail(ReasonClaims, errors.New("client certificate has no CommonName"))
	}
	p := engine.Principal{ID: subj.CommonName, Roles: append([]string{}, subj.OrganizationalUnit...)}
	if len(subj.Organization) > 0 {
		p.Tenant = subj.Organization[0]
	}
	return p, nil
}
