package sandbox_test

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/toolgate/toolgate/limits/sandbox"
)

// BenchmarkStartup measures what the sandbox adds to starting a process:
// the same /bin/true, plain and sandboxed, in one run. "sandbox" applies
// every layer with memory, pids and CPU limits (so two cgroups are made
// and removed per run); "sandbox-no-cgroup" leaves those limits unset.
func BenchmarkStartup(b *testing.B) {
	b.Run("exec.Command", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := exec.Command("/bin/true").Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
	full := spec("/bin/true")
	full.Limits.CPU, full.Limits.MemoryBytes, full.Limits.MaxProcs = time.Second, 64<<20, 16
	for name, s := range map[string]sandbox.Spec{"sandbox": full, "sandbox-no-cgroup": spec("/bin/true")} {
		b.Run(name, func(b *testing.B) {
			r := newRunner(b)
			b.ReportAllocs()
			for b.Loop() {
				res, err := r.Run(context.Background(), s)
				if err != nil {
					b.Fatal(err)
				}
				if res.ExitCode != 0 {
					b.Fatalf("exit %d: %s", res.ExitCode, res.Stderr)
				}
			}
		})
	}
}
