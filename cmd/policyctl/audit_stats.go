package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/audit/query"
)

func newAuditStatsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stats FILE...",
		Short: "Summarize decisions by tool, violation code and principal",
		Args:  cobra.MinimumNArgs(1),
	}
	f := newReadFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		f.skippedWarningTo = cmd.ErrOrStderr()
		st := query.NewStats()
		if err := f.scan(args, st.Add); err != nil {
			return exitWith(exitUsage, err)
		}
		if f.format == "json" {
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(st)
		}
		return printStats(cmd.OutOrStdout(), st)
	}
	return cmd
}

func printStats(w io.Writer, st *query.Stats) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	_, _ = fmt.Fprintf(tw, "decisions: %d (allowed %d, refused %d), outcomes: %d\n\n", st.Decisions, st.Allowed, st.Refused, st.Outcomes)
	countTable(tw, "TOOL", st.ByTool, st.Durations)
	countTable(tw, "PRINCIPAL", st.ByPrincipal, nil)
	intTable(tw, "VIOLATION CODE", st.ByCode)
	intTable(tw, "ERROR CODE", st.ByError)
	intTable(tw, "KILLED BY", st.Killed)
	return tw.Flush()
}

func countTable(tw *tabwriter.Writer, title string, m map[string]*query.Count, durs map[string]*query.Durations) {
	if len(m) == 0 {
		return
	}
	_, _ = fmt.Fprintf(tw, "%s\tDECISIONS\tALLOWED\tREFUSED\tRUNS\tFAILED\tAVG RUN\tMAX RUN\n", title)
	for _, k := range query.Sorted(m, func(c *query.Count) int { return c.Decisions + c.Outcomes }) {
		c := m[k]
		avg, mx := "-", "-"
		if d := durs[k]; d != nil && d.N > 0 {
			avg = (d.Total / time.Duration(d.N)).Round(time.Microsecond).String()
			mx = d.Max.Round(time.Microsecond).String()
		}
		_, _ = fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", orDash(k), c.Decisions, c.Allowed, c.Refused, c.Outcomes, c.Failed, avg, mx)
	}
	_, _ = fmt.Fprintln(tw)
}

func intTable(tw *tabwriter.Writer, title string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	_, _ = fmt.Fprintf(tw, "%s\tCOUNT\n", title)
	for _, k := range query.Sorted(m, func(n int) int { return n }) {
		_, _ = fmt.Fprintf(tw, "%s\t%d\n", k, m[k])
	}
	_, _ = fmt.Fprintln(tw)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
