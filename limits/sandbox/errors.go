package sandbox

import "errors"

// Sentinels for errors.Is.
var (
	// ErrUnavailable: the Spec asks for a restriction this host cannot
	// enforce, so the tool did not run. The message names the feature.
	ErrUnavailable = errors.New("sandbox: restriction unavailable on this host")
	// ErrInvalidSpec: the Spec itself is wrong (no program, no timeout…).
	ErrInvalidSpec = errors.New("sandbox: invalid spec")
	// ErrSetup: the helper failed to apply a restriction it was expected to
	// manage; the tool did not run.
	ErrSetup = errors.New("sandbox: setup failed")
	// ErrNotFound: the program does not exist or is not executable.
	ErrNotFound = errors.New("sandbox: program not found")
)
