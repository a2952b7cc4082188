// Package benchcpu adds process CPU time to benchmarks.
package benchcpu

import "testing"

// Report adds the process CPU time per operation to a benchmark: on a
// shared machine the wall time per op moves with the load, the CPU time
// much less. Call it right before the loop and defer the result. Where
// getrusage is missing it reports nothing.
func Report(b *testing.B) func() {
	start, ok := cpuTime()
	if !ok {
		return func() {}
	}
	return func() {
		end, _ := cpuTime()
		b.ReportMetric(float64((end-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
