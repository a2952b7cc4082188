package coordinator

import (
	"strings"
	"time"

	"github.com/toolgate/toolgate/engine"
)

// Code is the stable code of a refusal. Callers switch on it; the HTTP API
// maps it to a status.
type Code string

// Refusal codes.
const (
	CodeDenied           Code = "denied"
	CodeRateLimited      Code = "rate_limited"
	CodeInvalidInput     Code = "invalid_input"
	CodeSandboxViolation Code = "sandbox_violation"
	CodePolicyError      Code = "policy_error"
	CodeAuditFailure     Code = "audit_failure"
)

// Sentinels for errors.Is: errors.Is(err, coordinator.ErrDenied) holds for any
// refusal with that code.
var (
	ErrDenied           = &Error{Code: CodeDenied}
	ErrRateLimited      = &Error{Code: CodeRateLimited}
	ErrInvalidInput     = &Error{Code: CodeInvalidInput}
	ErrSandboxViolation = &Error{Code: CodeSandboxViolation}
	ErrPolicyError      = &Error{Code: CodePolicyError}
	ErrAuditFailure     = &Error{Code: CodeAuditFailure}
)

// Error is every refusal the coordinator returns.
type Error struct {
	Code       Code
	Message    string
	Violations []engine.Violation
	DecisionID string
	// RetryAfter is set for rate_limited: when a retry may succeed.
	RetryAfter time.Duration
	// Err is the underlying cause, if any.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Violations) > 0 {
		b.WriteString(" [")
		for i, v := range e.Violations {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(v.Code)
		}
		b.WriteString("]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches any *Error with the same code, so the sentinels work with
// errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func refusal(code Code, msg string, cause error) *Error {
	return &Error{Code: code, Message: msg, Err: cause}
}
