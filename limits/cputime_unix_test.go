//go:build unix

package limits_test

import (
	"syscall"
	"testing"
	"time"
)

// reportCPU adds the process CPU time per operation to a benchmark: on a
// shared machine the wall time per op moves with the load, the CPU time
// much less. Call it right before the loop and defer the result.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
