package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/benchlimit"
)

func newBenchCmd(s streams) *cobra.Command {
	var format, policyDir string
	var duration time.Duration
	cmd := &cobra.Command{
		Use:   "bench [flags] [PATH...]",
		Short: "Measure Check latency beside raw OPA evaluation of the same inputs",
		Long: `Runs Check on the example calls (or PATHs) and, interleaved in the same run,
the prepared OPA query alone on the complete input documents of the same calls
(facts included). Prints decisions per second, p50/p90/p99 and allocations per
call for both, and the ratio of Check to raw OPA.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{defaultCallsDir}
			}
			if format != "text" && format != "json" {
				return exitWith(exitUsage, fmt.Errorf("--format %q: want text or json", format))
			}
			b, err := newBencher(cmd, policyDir, args)
			if err != nil {
				return err
			}
			rep, err := b.run(cmd.Context(), duration)
			if err != nil {
				return exitWith(exitPolicy, err)
			}
			return printBench(s, format, rep)
		},
	}
	cmd.Flags().DurationVar(&duration, "duration", 5*time.Second, "total measuring time")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&policyDir, "policies", "", "policy directory (default: config, else embedded)")
	return cmd
}

// bencher holds what both sides of the comparison need, prepared up front so
// neither side pays for setup inside the timed loop.
type bencher struct {
	coord  *coordinator.Coordinator
	eng    *engine.Engine
	calls  []engine.Call
	inputs []ast.Value
}

func newBencher(cmd *cobra.Command, policyDir string, paths []string) (*bencher, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	eng, err := newEngine(cmd.Context(), cfg, policyDir)
	if err != nil {
		return nil, err
	}
	docs, err := readCalls(paths, nil)
	if err != nil {
		return nil, exitWith(exitUsage, err)
	}
	b := &bencher{eng: eng}
	for _, d := range docs {
		call, err := engine.ParseCall(d.data, cfg.Limits)
		if err != nil {
			continue
		}
		in, err := eng.Input(call)
		if err != nil {
			continue
		}
		b.calls, b.inputs = append(b.calls, call), append(b.inputs, in)
	}
	if len(b.calls) == 0 {
		return nil, exitWith(exitUsage, errors.New("no valid calls to benchmark"))
	}
	b.coord, err = coordinator.New(eng,
		coordinator.WithLimits(cfg.Limits),
		coordinator.WithLimiter(benchlimit.New()))
	if err != nil {
		return nil, exitWith(exitUsage, err)
	}
	return b, nil
}

type benchReport struct {
	Check    latencyStats `json:"check"`
	RawOPA   latencyStats `json:"raw_opa"`
	RatioP50 float64      `json:"ratio_p50"`
	RatioP99 float64      `json:"ratio_p99"`
	Calls    int          `json:"calls"`
}

func printBench(s streams, format string, rep benchReport) error {
	if format == "json" {
		return json.NewEncoder(s.out).Encode(rep)
	}
	_, _ = fmt.Fprintf(s.out, "%d distinct calls, %d Check samples, %d raw OPA samples\n\n",
		rep.Calls, rep.Check.Samples, rep.RawOPA.Samples)
	_, _ = fmt.Fprintf(s.out, "%-8s %10s %10s %10s %12s %12s\n", "", "p50 µs", "p90 µs", "p99 µs", "ops/s", "allocs/op")
	for _, row := range []struct {
		name string
		st   latencyStats
	}{{"check", rep.Check}, {"raw opa", rep.RawOPA}} {
		_, _ = fmt.Fprintf(s.out, "%-8s %10.1f %10.1f %10.1f %12.0f %12.0f\n",
			row.name, row.st.P50, row.st.P90, row.st.P99, row.st.OpsPerSec, row.st.AllocsPerOp)
	}
	_, _ = fmt.Fprintf(s.out, "\nratio check/raw: p50 %.2f, p99 %.2f\n", rep.RatioP50, rep.RatioP99)
	return nil
}
