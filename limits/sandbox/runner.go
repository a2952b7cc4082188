package sandbox

import (
	"errors"
	"sync/atomic"
)

// Runner runs Specs on this host. Build it once with New (it probes the
// host); it is safe for concurrent use.
type Runner struct {
	helper   string
	disabled []Feature
	caps     Capabilities
}

// runs numbers the runs of this process, naming their cgroups; it is
// shared by all Runners so two of them never pick the same name.
var runs atomic.Uint64

// Option configures a Runner.
type Option func(*Runner) error

// WithHelper sets the executable re-run as the sandbox helper. It must call
// Main first thing in main (default: os.Executable, this program).
func WithHelper(path string) Option {
	return func(r *Runner) error {
		if path == "" {
			return errors.New("sandbox: empty helper path")
		}
		r.helper = path
		return nil
	}
}

// WithoutFeatures makes the Runner act as if the host lacked fs: what a
// Spec needs from them is then degraded or refused exactly as on such a
// host. Operators use it to switch off a mechanism that misbehaves; tests
// use it to exercise the fallbacks for real.
func WithoutFeatures(fs ...Feature) Option {
	return func(r *Runner) error {
		r.disabled = append(r.disabled, fs...)
		return nil
	}
}

// Capabilities returns what the probe found, minus disabled features.
func (r *Runner) Capabilities() Capabilities { return r.caps }
