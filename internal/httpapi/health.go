package httpapi

import (
	"context"
	"net/http"
	"time"
)

// readyTimeout bounds each readiness check.
const readyTimeout = 2 * time.Second

type checkStatus struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
}

type readyResponse struct {
	Status string                 `json:"status"`
	Checks map[string]checkStatus `json:"checks"`
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady is 200 when every check passes, 503 otherwise and while the
// server drains for shutdown.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	resp := readyResponse{Status: "ready", Checks: make(map[string]checkStatus, len(s.ready))}
	for _, c := range s.ready {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		detail, err := c.check(ctx)
		cancel()
		st := checkStatus{OK: err == nil, Detail: detail}
		if err != nil {
			st.Error = err.Error()
			resp.Status = "not_ready"
		}
		resp.Checks[c.name] = st
	}
	if s.draining.Load() {
		resp.Status = "not_ready"
		resp.Checks["server"] = checkStatus{OK: false, Error: "shutting down"}
	}
	status := http.StatusOK
	if resp.Status != "ready" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, resp)
}
