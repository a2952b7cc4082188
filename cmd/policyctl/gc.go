package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the GC target policyctl runs with unless GOGC is set. A
// decision allocates ~55 KB of short-lived OPA evaluation state, and
// allocation and collection are about a quarter of its CPU profile; 400 makes
// collections rarer for a few MB of heap. On the development VM it did not
// move the medians measurably (docs/performance.md). Embedders tune their own
// process.
const gcPercent = 400

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}
