package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func newVersionCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of policyctl and of the embedded OPA",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, _ = fmt.Fprintf(s.out, "policyctl %s\n", version)
			if bi, ok := debug.ReadBuildInfo(); ok {
				_, _ = fmt.Fprintf(s.out, "go %s\n", bi.GoVersion)
				for _, d := range bi.Deps {
					if d.Path == "github.com/open-policy-agent/opa" {
						_, _ = fmt.Fprintf(s.out, "opa %s\n", d.Version)
					}
				}
			}
			return nil
		},
	}
}
