package httpapi

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// API error codes beyond the coordinator's refusal codes.
const (
	codeUnauthenticated  = "unauthenticated"
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeInternal         = "internal"
	codeUnavailable      = "unavailable"
)

// statusOf maps every refusal code to its HTTP status. An unknown code is a
// 500: nothing unrecognised is ever reported as success.
var statusOf = map[coordinator.Code]int{
	coordinator.CodeDenied:           http.StatusForbidden,
	coordinator.CodeSandboxViolation: http.StatusForbidden,
	coordinator.CodeRateLimited:      http.StatusTooManyRequests,
	coordinator.CodeInvalidInput:     http.StatusBadRequest,
	coordinator.CodePolicyError:      http.StatusServiceUnavailable,
	coordinator.CodeAuditFailure:     http.StatusServiceUnavailable,
}

// apiError is every error response: its status and its JSON body.
type apiError struct {
	status int
	body   errorBody
}

// errorBody is the "error" object of a response (docs/openapi.yaml Error).
type errorBody struct {
	Code              string             `json:"code"`
	Message           string             `json:"message"`
	DecisionID        string             `json:"decision_id,omitempty"`
	Violations        []engine.Violation `json:"violations,omitempty"`
	RetryAfterSeconds int64              `json:"retry_after_seconds,omitempty"`
}

func newError(status int, code, msg string) *apiError {
	return &apiError{status: status, body: errorBody{Code: code, Message: msg}}
}

func errInvalid(msg string) *apiError {
	return newError(http.StatusBadRequest, string(coordinator.CodeInvalidInput), msg)
}

func errTooLarge(limit int) *apiError {
	return newError(http.StatusRequestEntityTooLarge, string(coordinator.CodeInvalidInput),
		"request body is over the limit of "+strconv.Itoa(limit)+" bytes")
}

func errMediaType() *apiError {
	return newError(http.StatusUnsupportedMediaType, string(coordinator.CodeInvalidInput),
		"Content-Type must be application/json")
}

func errUnauthenticated() *apiError {
	return newError(http.StatusUnauthorized, codeUnauthenticated, "a valid credential is required")
}

func errNotFound() *apiError { return newError(http.StatusNotFound, codeNotFound, "no such endpoint") }

func errMethod(allowed string) *apiError {
	return newError(http.StatusMethodNotAllowed, codeMethodNotAllowed, "use "+allowed)
}

func errInternal() *apiError {
	return newError(http.StatusInternalServerError, codeInternal, "internal error; the call is refused")
}

// fromCheck translates an error of Checker.Check, once, into the response.
func fromCheck(err error) *apiError {
	var ce *coordinator.Error
	if !errors.As(err, &ce) {
		return errInternal()
	}
	status, ok := statusOf[ce.Code]
	if !ok {
		return errInternal()
	}
	e := newError(status, string(ce.Code), ce.Message)
	e.body.DecisionID = ce.DecisionID
	e.body.Violations = ce.Violations
	if ce.Code == coordinator.CodeRateLimited {
		e.body.RetryAfterSeconds = retrySeconds(ce.RetryAfter)
	}
	return e
}

// retrySeconds rounds up, and is at least 1: Retry-After is whole seconds
// and "0" would invite an immediate retry storm.
func retrySeconds(d time.Duration) int64 {
	s := int64(math.Ceil(d.Seconds()))
	if s < 1 {
		return 1
	}
	return s
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.body.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(e.body.RetryAfterSeconds, 10))
	}
	writeJSON(w, e.status, struct {
		Error errorBody `json:"error"`
	}{e.body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}
