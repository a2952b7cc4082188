package httpapi

import (
	"net/http"

	"github.com/toolgate/toolgate/engine"
)

// toolsResponse is the body of GET /v1/tools.
type toolsResponse struct {
	Revision string            `json:"revision"`
	Tools    []engine.ToolInfo `json:"tools"`
}

// handleTools lists the tools the principal may call: the authenticated
// one, or without authentication the one named by the query parameters
// principal, role (repeated) and tenant.
func (s *Server) handleTools(w http.ResponseWriter, r *http.Request) {
	p, ok := principalFrom(r.Context())
	if !ok {
		if s.auth != nil {
			writeError(w, errUnauthenticated())
			return
		}
		q := r.URL.Query()
		p = engine.Principal{ID: q.Get("principal"), Roles: q["role"], Tenant: q.Get("tenant")}
		if p.Roles == nil {
			p.Roles = []string{}
		}
	}
	probe := engine.Call{Tool: engine.Tool{Name: "-"}, Principal: p}
	if err := engine.ValidateCall(probe, s.limits); err != nil {
		writeError(w, errInvalid(err.Error()))
		return
	}
	rev := s.catalog.Revision()
	tools, err := s.catalog.Tools(r.Context(), p)
	if err != nil {
		s.log.Error().Err(err).Msg("listing tools failed")
		writeError(w, newError(http.StatusServiceUnavailable, codeUnavailable, "the tool list could not be computed"))
		return
	}
	writeJSON(w, http.StatusOK, toolsResponse{Revision: rev, Tools: tools})
}
