// Command policyctl evaluates, tests, checks and benchmarks toolgate
// policies, and serves them to tool servers.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
