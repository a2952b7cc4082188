package limits_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/benchcpu"
	"github.com/toolgate/toolgate/limits"
)

// BenchmarkMemoryTake is the cost of one call's rate limits taken from the
// in-memory limiter: a typical decision names a per-principal and a
// per-tool limit, with periods written as the policies write them.
func BenchmarkMemoryTake(b *testing.B) {
	m := limits.NewMemory()
	defer func() { _ = m.Close() }()
	rls := []engine.RateLimit{rl("principal:alice", 100_000_000, "8760h"), rl("tool:search", 100_000_000, "17520h")}
	ctx := context.Background()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Report(b)()
		for b.Loop() {
			if ok, _, err := m.Take(ctx, rls); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Report(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if ok, _, err := m.Take(ctx, rls); err != nil || !ok {
					b.Error(ok, err)
					return
				}
			}
		})
	})
	// Many distinct keys over the same rules: the store lookup dominates
	// less, the per-key bucket more.
	b.Run("keys", func(b *testing.B) {
		keys := make([][]engine.RateLimit, 64)
		for i := range keys {
			keys[i] = []engine.RateLimit{rl("principal:"+strconv.Itoa(i), 100_000_000, "8760h")}
		}
		b.ReportAllocs()
		defer benchcpu.Report(b)()
		i := 0
		for b.Loop() {
			if ok, _, err := m.Take(ctx, keys[i%len(keys)]); err != nil || !ok {
				b.Fatal(ok, err)
			}
			i++
		}
	})
}
