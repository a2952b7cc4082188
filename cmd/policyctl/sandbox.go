package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/limits/sandbox"
)

func newSandboxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Inspect the process sandbox on this host",
	}
	cmd.AddCommand(newSandboxProbeCmd())
	return cmd
}

func newSandboxProbeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "probe",
		Short: "Print what the sandbox can enforce here: Landlock ABI, seccomp, namespaces, cgroups",
		Long: `Probes the host the way every sandboxed run relies on: it starts this binary as the
sandbox helper in each namespace, asks the kernel for its Landlock ABI and seccomp
support, and finds writable cgroup v1 memory and pids hierarchies. Exit status 0, or
125 when the helper cannot be started at all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := sandbox.New()
			if err != nil {
				return exitWith(exitSandbox, err)
			}
			_, _ = fmt.Fprint(cmd.OutOrStdout(), r.Capabilities())
			return nil
		},
	}
}
