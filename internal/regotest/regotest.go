// Package regotest runs Rego unit tests with OPA's tester, as `opa test
// --strict-builtin-errors` does, and measures policy coverage. policyctl
// test, the reload gate and the policies' Go test share it, so all report
// the same results.
package regotest

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/tester"
)

// DefaultTimeout bounds one Rego test, as opa test's default does.
const DefaultTimeout = 5 * time.Second

// Options selects what Run does.
type Options struct {
	// Filter is a regular expression over test names (opa test --run).
	Filter string
	// Verbose prints every test, not only failures.
	Verbose bool
	// Timeout bounds each test; zero means DefaultTimeout.
	Timeout time.Duration
	// NoCoverage skips the coverage tracer (Report.Coverage stays 0 and
	// Uncovered empty): a gate that only needs pass/fail runs faster.
	NoCoverage bool
}

// Report is the outcome of a run.
type Report struct {
	Passed, Failed, Errored, Skipped int
	// Coverage is the percentage of policy lines evaluated by the tests.
	Coverage float64
	// Uncovered lists "file:line" for every line the tests never reached.
	Uncovered []string
}

// OK reports whether every test passed and at least one ran.
func (r Report) OK() bool { return r.Failed == 0 && r.Errored == 0 && r.Passed > 0 }

// Run loads the .rego and data files under paths, runs every test_ rule,
// prints results to out in opa test's format and returns the report.
func Run(ctx context.Context, paths []string, opts Options, out io.Writer) (Report, error) {
	mods, store, err := tester.LoadWithParserOptions(paths, nil,
		ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
	if err != nil {
		return Report{}, fmt.Errorf("load %v: %w", paths, err)
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	// Builtin errors are always raised (opa test --strict-builtin-errors):
	// the engine decides with StrictBuiltinErrors, so a test that passes
	// only because an error was swallowed as undefined would vouch for a
	// policy that errors in production.
	runner := tester.NewRunner().
		SetStore(store).
		SetTimeout(timeout).
		RaiseBuiltinErrors(true).
		SetModules(mods)
	var cov *cover.Cover
	if !opts.NoCoverage {
		cov = cover.New()
		runner = runner.SetCoverageQueryTracer(cov)
	}
	if opts.Filter != "" {
		runner = runner.Filter(opts.Filter)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return Report{}, fmt.Errorf("run tests: %w", err)
	}
	rep := Report{}
	results := make(chan *tester.Result)
	go func() {
		defer close(results)
		for r := range ch {
			count(&rep, r)
			results <- r
		}
	}()
	pr := tester.PrettyReporter{Output: out, Verbose: opts.Verbose, FailureLine: true}
	if err := pr.Report(results); err != nil {
		return rep, fmt.Errorf("report: %w", err)
	}
	if cov != nil {
		cr := cov.Report(mods)
		rep.Coverage = cr.Coverage
		rep.Uncovered = uncovered(cr)
	}
	return rep, nil
}

func count(rep *Report, r *tester.Result) {
	switch {
	case r.Skip:
		rep.Skipped++
	case r.Error != nil:
		rep.Errored++
	case r.Fail:
		rep.Failed++
	default:
		rep.Passed++
	}
}

func uncovered(cr cover.Report) []string {
	var out []string
	for file, fr := range cr.Files {
		for _, rg := range fr.NotCovered {
			for row := rg.Start.Row; row <= rg.End.Row; row++ {
				out = append(out, fmt.Sprintf("%s:%d", file, row))
			}
		}
	}
	sort.Strings(out)
	return out
}
