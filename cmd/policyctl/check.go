package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/engine"
)

// defaultCallsDir holds the example calls the contract check evaluates.
const defaultCallsDir = "examples/calls"

func newCheckCmd(s streams) *cobra.Command {
	var callsDir string
	cmd := &cobra.Command{
		Use:   "check [DIR...]",
		Short: "Strict-compile, format-check and contract-check a policy directory",
		Long: `Checks DIR (default: policies) three ways: it compiles in strict mode (as
opa check --strict), every file is formatted (as opa fmt --list), and
data.toolgate.decision returns the documented decision for every example call.
Exit status: 0 clean, 3 any problem.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{defaultPolicyDir}
			}
			var problems []error
			problems = append(problems, strictCompile(args)...)
			problems = append(problems, formatCheck(args)...)
			problems = append(problems, contractCheck(cmd.Context(), args, callsDir)...)
			for _, p := range problems {
				_, _ = fmt.Fprintln(s.err, p)
			}
			if len(problems) > 0 {
				return exitWith(exitPolicy, fmt.Errorf("%d problems", len(problems)))
			}
			_, _ = fmt.Fprintln(s.out, "ok: strict compile, formatting and decision contract")
			return nil
		},
	}
	cmd.Flags().StringVar(&callsDir, "calls", defaultCallsDir, "example calls for the contract check")
	return cmd
}

// strictCompile compiles every module, tests included, as opa check --strict.
func strictCompile(paths []string) []error {
	res, err := loader.NewFileLoader().
		WithRegoVersion(ast.RegoV1).
		WithProcessAnnotation(true).
		Filtered(paths, nil)
	if err != nil {
		return []error{fmt.Errorf("load: %w", err)}
	}
	c := ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(engine.Capabilities()).
		WithUseTypeCheckAnnotations(true)
	if c.Compile(res.ParsedModules()); c.Failed() {
		errs := make([]error, len(c.Errors))
		for i, e := range c.Errors {
			errs[i] = fmt.Errorf("compile: %v", e)
		}
		return errs
	}
	return nil
}

// formatCheck lists files that opa fmt would change.
func formatCheck(paths []string) []error {
	var errs []error
	for _, root := range paths {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			formatted, err := format.SourceWithOpts(p, src, format.Opts{RegoVersion: ast.RegoV1})
			if err != nil {
				errs = append(errs, fmt.Errorf("format %s: %w", p, err))
			} else if !bytes.Equal(src, formatted) {
				errs = append(errs, fmt.Errorf("format: %s is not formatted (run opa fmt -w)", p))
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// contractCheck loads the policies into an engine and decides every example
// call: each must produce a decision of the documented shape. Denials are
// fine; a policy error is not.
func contractCheck(ctx context.Context, paths []string, callsDir string) []error {
	if len(paths) != 1 {
		return []error{errors.New("contract: check one policy directory at a time")}
	}
	ps, err := engine.LoadDir(paths[0])
	if err != nil {
		return []error{fmt.Errorf("contract: %w", err)}
	}
	eng, err := engine.New(ctx, ps)
	if err != nil {
		return []error{fmt.Errorf("contract: %w", err)}
	}
	docs, err := readCalls([]string{callsDir}, nil)
	if err != nil {
		return []error{fmt.Errorf("contract: example calls: %w", err)}
	}
	var errs []error
	for _, doc := range docs {
		call, err := engine.ParseCall(doc.data, engine.Limits{})
		if err != nil {
			continue // invalid examples exercise input validation, not the contract
		}
		if _, err := eng.Decide(ctx, call); err != nil && !errors.Is(err, engine.ErrInvalidInput) {
			errs = append(errs, fmt.Errorf("contract: %s: %w", doc.source, err))
		}
	}
	if len(docs) == 0 {
		errs = append(errs, fmt.Errorf("contract: no example calls in %s", callsDir))
	}
	return errs
}
