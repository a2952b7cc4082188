package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the GC target policyctl runs with unless GOGC is set. A
// decision allocates ~90 KB of short-lived OPA evaluation state; at the
// default of 100 the collector runs so often that it is a third of the CPU
// profile and most of the p99. 400 trades a few MB of heap for that
// (measured in docs/performance.md). Embedders tune their own process.
const gcPercent = 400

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}
