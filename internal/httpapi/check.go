package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/metrics"
	"github.com/toolgate/toolgate/limits"
)

// sourceHTTP is request.source for calls that arrive without one.
const sourceHTTP = "http"

// checkResult is the body of /v1/check and one item of a batch: the
// decision of an allowed call, or the error of a refused one (with the
// decision when the policy denied it).
type checkResult struct {
	Status   int              `json:"status,omitempty"`
	Decision *engine.Decision `json:"decision,omitempty"`
	Error    *errorBody       `json:"error,omitempty"`
}

func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	data, e := readBody(w, r, s.maxCallBytes())
	if e != nil {
		writeError(w, e)
		return
	}
	res := s.checkOne(r.Context(), "check", data)
	if res.Error != nil {
		if res.Error.RetryAfterSeconds > 0 {
			w.Header().Set("Retry-After", strconv.FormatInt(res.Error.RetryAfterSeconds, 10))
		}
		writeJSON(w, res.Status, checkResult{Decision: res.Decision, Error: res.Error})
		return
	}
	writeJSON(w, http.StatusOK, checkResult{Decision: res.Decision})
}

// checkOne parses, applies the principal rule to and decides one call
// document. Every outcome, refusals included, is a checkResult.
func (s *Server) checkOne(ctx context.Context, endpoint string, data []byte) checkResult {
	start := time.Now()
	call, err := engine.ParseCall(data, s.limits)
	if err != nil {
		s.metrics.Check(endpoint, "", string(coordinator.CodeInvalidInput), nil, time.Since(start))
		return failed(errInvalid(err.Error()))
	}
	if e := s.setPrincipal(ctx, &call); e != nil {
		return failed(e)
	}
	if call.Request == nil {
		call.Request = &engine.Request{}
	}
	if call.Request.Source == "" {
		call.Request.Source = sourceHTTP
	}
	d, err := s.checker.Check(ctx, call)
	s.observe(endpoint, call.Tool.Name, d, err, time.Since(start))
	if err == nil {
		return checkResult{Status: http.StatusOK, Decision: &d}
	}
	res := failed(fromCheck(err))
	if errors.Is(err, coordinator.ErrDenied) && d.ID != "" {
		res.Decision = &d
	}
	return res
}

func failed(e *apiError) checkResult { return checkResult{Status: e.status, Error: &e.body} }

// setPrincipal applies the rule of docs/authentication.md: with
// authentication the principal is the credential's, and a body that names
// one is refused; without it the body's principal is used as sent.
func (s *Server) setPrincipal(ctx context.Context, call *engine.Call) *apiError {
	if s.auth == nil {
		return nil
	}
	p, ok := principalFrom(ctx)
	if !ok {
		return errUnauthenticated()
	}
	if call.Principal.ID != "" || len(call.Principal.Roles) > 0 || call.Principal.Tenant != "" {
		return errInvalid("principal comes from the credential: leave it out of the call document")
	}
	call.Principal = p
	return nil
}

func (s *Server) observe(endpoint, tool string, d engine.Decision, err error, took time.Duration) {
	outcome := "allow"
	var ce *coordinator.Error
	switch {
	case err == nil:
	case errors.As(err, &ce):
		outcome = string(ce.Code)
	default:
		outcome = codeInternal
	}
	switch {
	case errors.Is(err, limits.ErrStoreUnavailable):
		s.metrics.RateLimited("store_unavailable")
	case errors.Is(err, coordinator.ErrRateLimited):
		s.metrics.RateLimited("exhausted")
	case errors.Is(err, coordinator.ErrAuditFailure):
		s.metrics.AuditError()
	}
	codes := d.Codes()
	if slices.Contains(codes, codeUnknownTool) {
		// A name the catalog does not know is the caller's free text: it must
		// not spend the bounded tool labels nor be published on /metrics.
		tool = metrics.UnknownLabel
	}
	s.metrics.Check(endpoint, tool, outcome, codes, took)
}

// codeUnknownTool is the violation code of a tool the catalog does not know.
const codeUnknownTool = "unknown_tool"

// batchRequest is the body of /v1/check/batch.
type batchRequest struct {
	Calls []json.RawMessage `json:"calls"`
}

func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	data, e := readBody(w, r, s.maxBatchBytes)
	if e != nil {
		writeError(w, e)
		return
	}
	var req batchRequest
	if e := decodeStrict(data, &req); e != nil {
		writeError(w, e)
		return
	}
	switch {
	case len(req.Calls) == 0:
		writeError(w, errInvalid("calls must hold at least one call document"))
		return
	case len(req.Calls) > s.maxBatch:
		writeError(w, errTooLarge(s.maxBatchBytes).withMessage(
			"a batch holds at most "+strconv.Itoa(s.maxBatch)+" calls"))
		return
	}
	results := make([]checkResult, 0, len(req.Calls))
	for _, raw := range req.Calls {
		results = append(results, s.checkOne(r.Context(), "batch", raw))
	}
	writeJSON(w, http.StatusOK, struct {
		Results []checkResult `json:"results"`
	}{results})
}

func (e *apiError) withMessage(msg string) *apiError {
	e.body.Message = msg
	return e
}

// decodeStrict decodes one JSON document with no unknown fields and nothing
// after it.
func decodeStrict(data []byte, v any) *apiError {
	if e := batchKeys(data); e != nil {
		return e
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errInvalid("malformed batch: " + truncate(err.Error()))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errInvalid("trailing data after the batch document")
	}
	return nil
}

// batchKeys holds the batch document to the rules of a call document: its
// one member "calls" exactly once, in that case. encoding/json would take the
// last of two "calls" and match "Calls" too; each call inside is checked by
// ParseCall.
func batchKeys(data []byte) *apiError {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil // not an object: the decoder reports it
	}
	seen := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		if key, _ := tok.(string); key != "calls" || seen {
			return errInvalid("a batch document holds one member, \"calls\"")
		}
		seen = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
	}
	return nil
}

// maxEchoBytes bounds how much of a decoder message is echoed back.
const maxEchoBytes = 200

func truncate(s string) string {
	if len(s) > maxEchoBytes {
		return s[:maxEchoBytes] + "…"
	}
	return s
}
