//go:build !linux

package sandbox

import (
	"context"
	"fmt"
	"runtime"
)

// Main does nothing off Linux: there is no helper to be.
func Main() {}

// New fails off Linux: none of the sandbox's mechanisms exist there.
func New(opts ...Option) (*Runner, error) {
	return nil, fmt.Errorf("%w: the process sandbox needs Linux, not %s", ErrUnavailable, runtime.GOOS)
}

// Run is unreachable without a Runner from New.
func (r *Runner) Run(ctx context.Context, s Spec) (*Result, error) {
	return nil, fmt.Errorf("%w: the process sandbox needs Linux", ErrUnavailable)
}
