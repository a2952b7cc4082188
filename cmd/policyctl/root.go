package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes. Scripts and CI switch on them; they never change meaning.
const (
	exitOK          = 0 // success; for eval: every call allowed
	exitDenied      = 1 // eval: at least one call denied or refused
	exitUsage       = 2 // bad flags or arguments, unreadable input
	exitPolicy      = 3 // policies fail to load, compile or meet the contract
	exitTestsFailed = 4 // a Rego test failed or coverage is below threshold
	exitAuditBroken = 5 // audit verify: a link of the chain is broken (edit, deletion, reordering, insertion, truncation)
	exitAuditTorn   = 6 // audit verify: the chain is intact up to a torn last line (a write cut short by a crash)
)

// exitError carries an exit code out of a command's RunE.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func exitWith(code int, err error) error { return &exitError{code: code, err: err} }

// streams are the command's standard streams, injected for tests.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:           "policyctl",
		Short:         "Policy-as-code security for AI tool calls",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.PersistentFlags().String("config", "", "configuration file (default: embedded defaults, TOOLGATE_* env)")
	root.AddCommand(
		newEvalCmd(s),
		newTestCmd(s),
		newCheckCmd(s),
		newBenchCmd(s),
		newVersionCmd(s),
		newServeCmd(s), newBundleCmd(s),
		newAuditCmd(), newExecCmd(), newSandboxCmd(),
		newMCPProxyCmd(s),
	)
	return root
}

func run(args []string, in io.Reader, out, errOut io.Writer) int {
	root := newRootCmd(streams{in: in, out: out, err: errOut})
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			_, _ = fmt.Fprintln(errOut, "policyctl:", ee.err)
		}
		return ee.code
	}
	_, _ = fmt.Fprintln(errOut, "policyctl:", err)
	return exitUsage
}
