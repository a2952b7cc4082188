package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// evalResult is one line of `eval --format json`.
type evalResult struct {
	Source      string             `json:"source"`
	DecisionID  string             `json:"decision_id"`
	Tool        string             `json:"tool"`
	Principal   string             `json:"principal"`
	Allow       bool               `json:"allow"`
	Violations  []engine.Violation `json:"violations"`
	Sandbox     engine.Sandbox     `json:"sandbox"`
	RateLimits  []engine.RateLimit `json:"rate_limits"`
	Obligations []string           `json:"obligations"`
	Error       *evalError         `json:"error,omitempty"`
}

type evalError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func newEvalCmd(s streams) *cobra.Command {
	var format, policyDir, auditPath string
	cmd := &cobra.Command{
		Use:   "eval [flags] PATH...|-",
		Short: "Decide tool calls read from JSON files, JSON Lines files, directories or stdin",
		Long: `Each PATH is a JSON file holding one call document, a .jsonl file of calls, or a
directory of them; - reads stdin. Calls go through the coordinator with in-memory
rate limits. Exit status: 0 all allowed, 1 any denied or refused, 2 bad usage or
unreadable input, 3 policy failure.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return exitWith(exitUsage, fmt.Errorf("--format %q: want text or json", format))
			}
			docs, err := readCalls(args, s.in)
			if err != nil {
				return exitWith(exitUsage, err)
			}
			coord, lim, closeFn, err := evalCoordinator(cmd, policyDir, auditPath)
			if err != nil {
				return err
			}
			defer closeFn()
			results := evaluate(cmd.Context(), coord, lim, docs)
			if err := printResults(s.out, format, results); err != nil {
				return exitWith(exitUsage, err)
			}
			return evalExit(results)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&policyDir, "policies", "", "policy directory (default: config, else embedded)")
	cmd.Flags().StringVar(&auditPath, "audit", "", "write audit events to this file (JSON Lines)")
	return cmd
}

func evaluate(ctx context.Context, coord *coordinator.Coordinator, lim engine.Limits, docs []callDoc) []evalResult {
	out := make([]evalResult, 0, len(docs))
	for _, doc := range docs {
		r := evalResult{Source: doc.source}
		call, err := engine.ParseCall(doc.data, lim)
		if err != nil {
			r.DecisionID = engine.NewID()
			r.Error = &evalError{Code: string(coordinator.CodeInvalidInput), Message: err.Error()}
			out = append(out, normalize(r))
			continue
		}
		r.Tool, r.Principal = call.Tool.Name, call.Principal.ID
		d, err := coord.Check(ctx, call)
		r.DecisionID, r.Violations, r.Sandbox = d.ID, d.Violations, d.Sandbox
		r.RateLimits, r.Obligations = d.RateLimits, d.Obligations
		r.Allow = err == nil
		var ce *coordinator.Error
		if errors.As(err, &ce) && ce.Code != coordinator.CodeDenied {
			r.Error = &evalError{Code: string(ce.Code), Message: ce.Message}
		}
		out = append(out, normalize(r))
	}
	return out
}

// normalize prints empty lists as [] rather than null.
func normalize(r evalResult) evalResult {
	if r.Violations == nil {
		r.Violations = []engine.Violation{}
	}
	if r.RateLimits == nil {
		r.RateLimits = []engine.RateLimit{}
	}
	if r.Obligations == nil {
		r.Obligations = []string{}
	}
	return r
}

func evalExit(results []evalResult) error {
	code := exitOK
	for _, r := range results {
		if r.Error != nil && r.Error.Code == string(coordinator.CodeInvalidInput) {
			return exitWith(exitUsage, nil)
		}
		if !r.Allow {
			code = exitDenied
		}
	}
	if code != exitOK {
		return exitWith(code, nil)
	}
	return nil
}

func printResults(w io.Writer, format string, results []evalResult) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "SOURCE\tTOOL\tPRINCIPAL\tRESULT\tREASONS")
	allowed := 0
	for _, r := range results {
		result, reasons := "allow", strings.Join(r.Obligations, ",")
		switch {
		case r.Error != nil:
			result, reasons = r.Error.Code, r.Error.Message
		case !r.Allow:
			result, reasons = "deny", violationCodes(r.Violations)
		default:
			allowed++
		}
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Source, r.Tool, r.Principal, result, truncate(reasons, 100))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d calls: %d allowed, %d denied or refused\n", len(results), allowed, len(results)-allowed)
	return err
}

func violationCodes(vs []engine.Violation) string {
	codes := make([]string, len(vs))
	for i, v := range vs {
		codes[i] = v.Code
		if v.Field != "" {
			codes[i] += "(" + v.Field + ")"
		}
	}
	return strings.Join(codes, ", ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
