package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/audit/query"
)

// defaultTail is how many events `audit tail` prints.
const defaultTail = 10

// readFlags are the filter and output flags of tail, query and stats.
type readFlags struct {
	denied           bool
	principal, tool  string
	since, format    string
	types            []string
	now              func() time.Time
	skippedWarningTo io.Writer
}

func (f *readFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.denied, "denied", false, "only calls that were refused (denied, rate limited, invalid, …)")
	fl.StringVar(&f.principal, "principal", "", "only this principal id")
	fl.StringVar(&f.tool, "tool", "", "only this tool")
	fl.StringVar(&f.since, "since", "", "only events since a duration ago (1h, 30m) or an RFC 3339 time")
	fl.StringSliceVar(&f.types, "type", nil, "event types (decision, outcome, checkpoint; default decision,outcome)")
	fl.StringVar(&f.format, "format", "table", "output format: table or json (the event lines as written)")
}

func (f *readFlags) filter() (query.Filter, error) {
	flt := query.Filter{Refused: f.denied, Principal: f.principal, Tool: f.tool, Types: f.types}
	if f.format != "table" && f.format != "json" {
		return flt, fmt.Errorf("--format %q: want table or json", f.format)
	}
	if f.since == "" {
		return flt, nil
	}
	if d, err := time.ParseDuration(f.since); err == nil {
		flt.Since = f.now().Add(-d)
		return flt, nil
	}
	t, err := time.Parse(time.RFC3339Nano, f.since)
	if err != nil {
		return flt, fmt.Errorf("--since %q: want a duration (1h) or an RFC 3339 time", f.since)
	}
	flt.Since = t
	return flt, nil
}

// scan reads the files in chain order, passing every event that matches.
func (f *readFlags) scan(paths []string, fn func(*query.Entry)) error {
	flt, err := f.filter()
	if err != nil {
		return err
	}
	ordered, err := audit.OrderFiles(paths)
	if err != nil {
		return err
	}
	for _, p := range ordered {
		if err := scanFile(p, flt, fn, f.skippedWarningTo); err != nil {
			return err
		}
	}
	return nil
}

func scanFile(path string, flt query.Filter, fn func(*query.Entry), warn io.Writer) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = file.Close() }()
	skipped, err := query.Read(file, path, func(e *query.Entry) error {
		if flt.Match(e) {
			fn(e)
		}
		return nil
	})
	if skipped > 0 {
		_, _ = fmt.Fprintf(warn, "policyctl: %s: skipped %d unreadable line(s); run `policyctl audit verify`\n", path, skipped)
	}
	return err
}

func newReadFlags(cmd *cobra.Command) *readFlags {
	f := &readFlags{now: time.Now}
	f.register(cmd)
	return f
}

func newAuditTailCmd() *cobra.Command {
	var n int
	cmd := &cobra.Command{Use: "tail FILE...", Short: "Print the last events that match", Args: cobra.MinimumNArgs(1)}
	f := newReadFlags(cmd)
	cmd.Flags().IntVarP(&n, "lines", "n", defaultTail, "how many events")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		f.skippedWarningTo = cmd.ErrOrStderr()
		var last []*query.Entry
		err := f.scan(args, func(e *query.Entry) {
			last = append(last, e)
			if len(last) > n {
				last = last[1:]
			}
		})
		if err != nil {
			return exitWith(exitUsage, err)
		}
		return printEntries(cmd.OutOrStdout(), last, f.format)
	}
	return cmd
}

func newAuditQueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "query FILE...", Short: "Print every event that matches", Args: cobra.MinimumNArgs(1)}
	f := newReadFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		f.skippedWarningTo = cmd.ErrOrStderr()
		var all []*query.Entry
		if err := f.scan(args, func(e *query.Entry) { all = append(all, e) }); err != nil {
			return exitWith(exitUsage, err)
		}
		return printEntries(cmd.OutOrStdout(), all, f.format)
	}
	return cmd
}

func printEntries(w io.Writer, es []*query.Entry, format string) error {
	if format == "json" {
		for _, e := range es {
			if _, err := fmt.Fprintf(w, "%s\n", e.Raw); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "TIME\tSEQ\tTYPE\tTOOL\tPRINCIPAL\tRESULT\tDETAIL")
	for _, e := range es {
		res, detail := summarize(e)
		_, _ = fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", e.Time.UTC().Format(time.RFC3339),
			e.Seq, e.Type, e.Tool, e.Principal, res, detail)
	}
	return tw.Flush()
}

// summarize is the RESULT and DETAIL columns of one event.
func summarize(e *query.Entry) (string, string) {
	switch e.Type {
	case "decision":
		if e.ErrorCode != "" {
			return e.ErrorCode, strings.Join(e.Codes, ",")
		}
		if !e.Allow {
			return "deny", strings.Join(e.Codes, ",")
		}
		return "allow", ""
	case "outcome":
		res := fmt.Sprintf("exit %d", e.ExitCode)
		if e.ErrorCode != "" {
			res = e.ErrorCode
		}
		detail := fmt.Sprintf("%v %dB", e.Duration.Round(time.Microsecond), e.OutputBytes)
		if e.Killed != "" {
			detail += " killed:" + e.Killed
		}
		return res, detail
	}
	return "", ""
}
