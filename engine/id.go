package engine

import "github.com/google/uuid"

// NewID returns a random RFC 4122 version 4 UUID, the form OPA uses for
// decision ids.
func NewID() string {
	// uuid.New panics only when the system's random source fails, which on
	// Linux (getrandom) does not happen; a decision id is never optional.
	return uuid.New().String()
}
