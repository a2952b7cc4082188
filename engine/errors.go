package engine

import "errors"

// Sentinel errors. The coordinator translates them once, at its boundary,
// into the stable error codes of the docs.
var (
	// ErrInvalidInput marks a call that is malformed, over a bound, or does
	// not match its tool's argument schema.
	ErrInvalidInput = errors.New("invalid input")
	// ErrPolicy marks a policy that failed to load, failed to evaluate, or
	// returned something that is not a decision. It never allows.
	ErrPolicy = errors.New("policy error")
)
