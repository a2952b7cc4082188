//go:build linux

package sandbox

import (
	"os"

	"github.com/toolgate/toolgate/limits/sandbox/internal/helper"
)

// Main turns this process into the sandbox helper when the Runner started
// it as one, and then never returns; otherwise it returns at once. Call it
// first thing in main, and in TestMain of tests that run tools, before any
// goroutine is started.
func Main() {
	if len(os.Args) < 2 {
		return
	}
	switch os.Args[1] {
	case helper.Arg:
		helper.Main()
	case helper.ProbeArg:
		helper.Probe()
	}
}
