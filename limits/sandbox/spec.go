package sandbox

import (
	"fmt"
	"io"
	"time"
)

// Network modes of a Spec.
const (
	NetworkNone = "none" // no interfaces, no IP sockets
	NetworkAny  = "any"  // the host's network
)

// Spec is one command to run and the limits to run it under.
type Spec struct {
	// Path is the program: absolute, or a name looked up in the PATH of
	// Env (DefaultPath when Env has none). Args are its arguments, without
	// argv[0].
	Path string
	Args []string
	// Env is the complete environment of the tool. Nothing of the parent's
	// environment is passed unless the caller put it here.
	Env []string
	// Dir is the working directory; "/" when empty. It must lie below a
	// read or write path for the tool to use it.
	Dir string
	// Stdin feeds the tool's standard input; nil means /dev/null.
	Stdin io.Reader

	Limits  Limits
	Network string // NetworkNone when empty
	// ReadPaths may be read and executed, WritePaths also written, created
	// and removed below. Everything else is denied, except the system read
	// paths the tool's executable and libraries need.
	ReadPaths  []string
	WritePaths []string
}

// Limits bound the tool. Timeout and MaxOutputBytes are required; any
// other zero field means "not limited" and its mechanism is not applied.
type Limits struct {
	Timeout time.Duration // wall clock, whole process tree
	CPU     time.Duration // per process, rounded up to whole seconds
	// MemoryBytes bounds the resident memory of the whole tree.
	MemoryBytes int64
	// MaxOutputBytes caps stdout and stderr each; the tool is killed when
	// it writes more.
	MaxOutputBytes int64
	MaxFileBytes   int64 // largest file the tool may write
	MaxOpenFiles   int64
	MaxProcs       int64 // processes and threads of the whole tree
}

func (s Spec) validate() error {
	switch {
	case s.Path == "":
		return fmt.Errorf("%w: no program", ErrInvalidSpec)
	case s.Limits.Timeout <= 0:
		return fmt.Errorf("%w: a wall timeout is required", ErrInvalidSpec)
	case s.Limits.MaxOutputBytes <= 0:
		return fmt.Errorf("%w: an output cap is required", ErrInvalidSpec)
	case s.Limits.CPU < 0 || s.Limits.MemoryBytes < 0 || s.Limits.MaxFileBytes < 0 ||
		s.Limits.MaxOpenFiles < 0 || s.Limits.MaxProcs < 0:
		return fmt.Errorf("%w: negative limit", ErrInvalidSpec)
	}
	switch s.Network {
	case "", NetworkNone, NetworkAny:
	default:
		return fmt.Errorf("%w: network mode %q is not supported", ErrUnavailable, s.Network)
	}
	return nil
}
