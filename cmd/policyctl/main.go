// Command policyctl evaluates, tests, checks and benchmarks toolgate
// policies, and serves them to tool servers.
package main

import (
	"os"

	"github.com/toolgate/toolgate/limits/sandbox"
)

func main() {
	sandbox.Main() // first: a sandbox helper re-run of this binary never returns from it
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
