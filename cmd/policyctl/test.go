package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/internal/regotest"
)

// defaultPolicyDir is where the Rego library lives in a checkout.
const defaultPolicyDir = "policies"

// maxUncoveredShown keeps the coverage failure message readable.
const maxUncoveredShown = 20

func newTestCmd(s streams) *cobra.Command {
	var opts regotest.Options
	var coverage bool
	var threshold float64
	cmd := &cobra.Command{
		Use:   "test [flags] [DIR...]",
		Short: "Run the Rego unit tests (same results as opa test)",
		Long: `Runs every test_ rule under DIR (default: policies) with OPA's tester.
Exit status: 0 all passed, 4 a test failed or coverage is below --threshold,
3 the policies do not load.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{defaultPolicyDir}
			}
			rep, err := regotest.Run(cmd.Context(), args, opts, s.out)
			if err != nil {
				return exitWith(exitPolicy, err)
			}
			if !rep.OK() {
				return exitWith(exitTestsFailed, fmt.Errorf("%d passed, %d failed, %d errors", rep.Passed, rep.Failed, rep.Errored))
			}
			if coverage || threshold > 0 {
				_, _ = fmt.Fprintf(s.out, "Coverage: %.2f%%\n", rep.Coverage)
			}
			if rep.Coverage < threshold {
				return exitWith(exitTestsFailed, coverageError(rep, threshold))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&coverage, "coverage", false, "report policy coverage")
	cmd.Flags().Float64Var(&threshold, "threshold", 0, "fail when coverage is below this percentage")
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "print every test")
	cmd.Flags().StringVar(&opts.Filter, "run", "", "only tests whose name matches this regular expression")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", regotest.DefaultTimeout, "bound on each test, as opa test --timeout")
	return cmd
}

func coverageError(rep regotest.Report, threshold float64) error {
	shown := rep.Uncovered
	more := ""
	if len(shown) > maxUncoveredShown {
		more = fmt.Sprintf(" (and %d more)", len(shown)-maxUncoveredShown)
		shown = shown[:maxUncoveredShown]
	}
	return fmt.Errorf("coverage %.2f%% is below %.2f%%; not covered: %s%s",
		rep.Coverage, threshold, strings.Join(shown, " "), more)
}
