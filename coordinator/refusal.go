package coordinator

import (
	"errors"
	"strings"
)

// AsError finds the *Error in err's chain, as errors.As does.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// ErrorOf is the refusal a gateway reports for err: the *Error in its chain,
// or, for any other failure, a policy_error wrapping it (a call that could
// not be decided does not run). err must not be nil.
func ErrorOf(err error) *Error {
	if e, ok := AsError(err); ok {
		return e
	}
	return &Error{Code: CodePolicyError, Message: err.Error(), Err: err}
}

// Text is the refusal as a model reads it, the same through every gateway:
// what was refused and why (each violation with its field), so it can
// correct itself.
func (e *Error) Text() string {
	var b strings.Builder
	b.WriteString("toolgate refused this tool call (")
	b.WriteString(string(e.Code))
	b.WriteString("): ")
	b.WriteString(e.Message)
	for _, v := range e.Violations {
		b.WriteString("\n- ")
		b.WriteString(v.Code)
		if v.Field != "" {
			b.WriteString(" [" + v.Field + "]")
		}
		if v.Message != "" {
			b.WriteString(": " + v.Message)
		}
	}
	if e.DecisionID != "" {
		b.WriteString("\ndecision id: " + e.DecisionID)
	}
	return b.String()
}
