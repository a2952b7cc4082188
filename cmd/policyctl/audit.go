package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/audit"
)

func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Verify, search and summarize audit logs",
		Long: `Reads audit logs written by toolgate (docs/audit.md). Files may be given in any
order: they are put in chain order by the seq of their first line.`,
	}
	cmd.AddCommand(newAuditVerifyCmd(), newAuditTailCmd(), newAuditQueryCmd(), newAuditStatsCmd())
	return cmd
}

func newAuditVerifyCmd() *cobra.Command {
	var pubkey, head, format string
	var partial bool
	cmd := &cobra.Command{
		Use:   "verify FILE...",
		Short: "Check the hash chain and checkpoint signatures of audit logs",
		Long: `Checks that the files form one unbroken chain: every line's seq follows the one
before and its prev_hash is the SHA-256 of the line before; with --pubkey, every
checkpoint signature. Reports the first broken link with file and line.
Exit status: 0 intact, 5 broken link, 6 intact up to a torn last line (crash),
2 unreadable input or bad flags.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := audit.VerifyOptions{Partial: partial}
			if err := verifyFlags(&opts, pubkey, head); err != nil {
				return exitWith(exitUsage, err)
			}
			rep, err := verifyFiles(opts, args)
			if err != nil {
				return exitWith(exitUsage, err)
			}
			if err := printVerify(cmd.OutOrStdout(), rep, format); err != nil {
				return exitWith(exitUsage, err)
			}
			return verifyExit(rep)
		},
	}
	cmd.Flags().StringVar(&pubkey, "pubkey", "", "Ed25519 public key (PEM) to check checkpoint signatures")
	cmd.Flags().StringVar(&head, "head", "", "expected last event, SEQ or SEQ:HASH (detects a truncated or edited end)")
	cmd.Flags().BoolVar(&partial, "partial", false, "accept a chain that starts after seq 1 (older files removed)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func verifyFlags(opts *audit.VerifyOptions, pubkey, head string) error {
	if pubkey != "" {
		k, err := audit.LoadPublicKey(pubkey)
		if err != nil {
			return err
		}
		opts.PublicKey = k
	}
	if head == "" {
		return nil
	}
	seqText, hash, _ := strings.Cut(head, ":")
	seq, err := strconv.ParseUint(seqText, 10, 64)
	if err != nil {
		return fmt.Errorf("--head %q: want SEQ or SEQ:HASH", head)
	}
	opts.Head = &audit.Head{Seq: seq, Hash: hash}
	return nil
}

func verifyFiles(opts audit.VerifyOptions, paths []string) (*audit.Report, error) {
	ordered, err := audit.OrderFiles(paths)
	if err != nil {
		return nil, err
	}
	srcs := make([]audit.Source, len(ordered))
	for i, p := range ordered {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer func() { _ = f.Close() }()
		srcs[i] = audit.Source{Name: p, R: f}
	}
	return audit.Verify(opts, srcs...)
}

func verifyExit(rep *audit.Report) error {
	err := rep.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, audit.ErrChainBroken):
		return exitWith(exitAuditBroken, nil)
	default:
		return exitWith(exitAuditTorn, nil)
	}
}

func printVerify(w io.Writer, rep *audit.Report, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "text":
	default:
		return fmt.Errorf("--format %q: want text or json", format)
	}
	for _, t := range rep.Torn {
		_, _ = fmt.Fprintf(w, "TORN %s: last line has no newline (%d bytes): a write cut short by a crash; every line before it verifies\n", t.Position, t.Bytes)
	}
	if b := rep.Break; b != nil {
		_, _ = fmt.Fprintf(w, "BROKEN %s: %s: %s\n", b.Position, b.Kind, b.Detail)
		_, _ = fmt.Fprintf(w, "verified %d events before the break\n", rep.Events)
		return nil
	}
	_, _ = fmt.Fprintf(w, "ok: %d events in %d files, seq %d-%d, %d checkpoints, %d signatures verified\nhead: %d:%s\n",
		rep.Events, rep.Files, rep.FirstSeq, rep.LastSeq, rep.Checkpoints, rep.Signed, rep.LastSeq, rep.Head)
	if rep.Checkpoints > 0 && rep.Signed == 0 {
		_, _ = fmt.Fprintln(w, "note: checkpoint signatures not checked (no --pubkey)")
	}
	return nil
}
