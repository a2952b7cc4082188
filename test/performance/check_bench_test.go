// Package performance holds the benchmarks behind docs/performance.md:
// Check with and without audit, beside raw OPA evaluation of the same
// complete input documents, in one run.
//
//	go test -run '^$' -bench . -benchmem -count 6 ./test/performance | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest new.txt
package performance

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/benchlimit"
)

// fixture is the engine and the example calls, loaded once per benchmark.
type fixture struct {
	eng    *engine.Engine
	calls  []engine.Call
	inputs []ast.Value
}

func load(tb testing.TB) fixture {
	tb.Helper()
	ps, err := engine.LoadDefault()
	require.NoError(tb, err)
	eng, err := engine.New(context.Background(), ps)
	require.NoError(tb, err)
	files, err := filepath.Glob("../../examples/calls/*.json")
	require.NoError(tb, err)
	require.NotEmpty(tb, files)
	f := fixture{eng: eng}
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(tb, err)
		call, err := engine.ParseCall(data, engine.Limits{})
		require.NoError(tb, err)
		in, err := eng.Input(call)
		require.NoError(tb, err)
		f.calls, f.inputs = append(f.calls, call), append(f.inputs, in)
	}
	return f
}

func benchCheck(b *testing.B, opts ...coordinator.Option) {
	f := load(b)
	opts = append(opts, coordinator.WithLimiter(benchlimit.New()))
	c, err := coordinator.New(f.eng, opts...)
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _ = c.Check(ctx, f.calls[i%len(f.calls)])
	}
}

// BenchmarkCheck is the whole coordinator path: audit off, then a chained
// file log with the default fsync interval, then fsync per event.
func BenchmarkCheck(b *testing.B) {
	b.Run("audit=off", func(b *testing.B) { benchCheck(b) })
	for _, fsync := range []string{audit.FsyncModeInterval, audit.FsyncModeAlways} {
		b.Run("audit=file/fsync="+fsync, func(b *testing.B) {
			l, err := audit.Open(audit.Config{Sink: audit.SinkFile, Path: filepath.Join(b.TempDir(), "audit.log"), Fsync: fsync})
			require.NoError(b, err)
			defer func() { _ = l.Close() }()
			benchCheck(b, coordinator.WithAuditor(l))
		})
	}
}

// BenchmarkRawOPA is the prepared decision query alone on the same complete
// inputs (facts included), with OPA's default evaluation options.
func BenchmarkRawOPA(b *testing.B) {
	f := load(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.eng.EvalRaw(ctx, f.inputs[i%len(f.inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInput is input building alone: validation, facts, conversion.
func BenchmarkInput(b *testing.B) {
	f := load(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.eng.Input(f.calls[i%len(f.calls)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideParallel shows throughput across goroutines sharing one
// prepared query.
func BenchmarkDecideParallel(b *testing.B) {
	f := load(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		i := 0
		for pb.Next() {
			_, _ = f.eng.Decide(ctx, f.calls[i%len(f.calls)])
			i++
		}
	})
}

// TestFixturesDecide keeps the benchmarks honest: every example call must
// reach a decision (allowed or denied), never a policy error, or the
// benchmark would be timing error paths.
func TestFixturesDecide(t *testing.T) {
	f := load(t)
	for i, call := range f.calls {
		d, err := f.eng.Decide(context.Background(), call)
		require.NoError(t, err, "call %d (%s)", i, call.Tool.Name)
		require.NotEmpty(t, d.ID)
	}
}
