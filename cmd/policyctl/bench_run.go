package main

import (
	"context"
	"runtime"
	"sort"
	"time"
)

// benchRound is how many operations one side runs before the other side
// takes over. Interleaving short rounds exposes both sides to the same
// machine noise, which on a shared 2-core VM matters more than anything.
const benchRound = 200

type latencyStats struct {
	P50         float64 `json:"p50_us"`
	P90         float64 `json:"p90_us"`
	P99         float64 `json:"p99_us"`
	OpsPerSec   float64 `json:"ops_per_sec"`
	AllocsPerOp float64 `json:"allocs_per_op"`
	Samples     int     `json:"samples"`
}

type sampler struct {
	lat    []time.Duration
	busy   time.Duration
	allocs uint64
}

// round runs op benchRound times, recording each latency and the
// allocations of the whole round.
func (s *sampler) round(op func(i int)) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for i := 0; i < benchRound; i++ {
		t := time.Now()
		op(i)
		s.lat = append(s.lat, time.Since(t))
	}
	s.busy += time.Since(start)
	runtime.ReadMemStats(&after)
	s.allocs += after.Mallocs - before.Mallocs
}

func (s *sampler) stats() latencyStats {
	sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	n := len(s.lat)
	pct := func(p float64) float64 {
		return float64(s.lat[int(p*float64(n-1))].Nanoseconds()) / 1e3
	}
	return latencyStats{
		P50: pct(0.50), P90: pct(0.90), P99: pct(0.99),
		OpsPerSec:   float64(n) / s.busy.Seconds(),
		AllocsPerOp: float64(s.allocs) / float64(n),
		Samples:     n,
	}
}

func (b *bencher) run(ctx context.Context, d time.Duration) (benchReport, error) {
	// Warm up both paths so lazily built caches are not measured.
	for i := range b.calls {
		_, _ = b.coord.Check(ctx, b.calls[i])
		if _, err := b.eng.EvalRaw(ctx, b.inputs[i]); err != nil {
			return benchReport{}, err
		}
	}
	var check, raw sampler
	n := len(b.calls)
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		check.round(func(i int) { _, _ = b.coord.Check(ctx, b.calls[i%n]) })
		raw.round(func(i int) { _, _ = b.eng.EvalRaw(ctx, b.inputs[i%n]) })
	}
	rep := benchReport{Check: check.stats(), RawOPA: raw.stats(), Calls: n}
	rep.RatioP50 = rep.Check.P50 / rep.RawOPA.P50
	rep.RatioP99 = rep.Check.P99 / rep.RawOPA.P99
	return rep, nil
}
