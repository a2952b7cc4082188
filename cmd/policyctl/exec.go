package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"mvdan.cc/sh/v3/syntax"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/limits/sandbox"
)

// Exit statuses of `policyctl exec` besides the tool's own (documented in
// docs/sandbox.md). Killed-by-limit statuses sit below 128 so that they do
// not collide with 128+signal.
const (
	exitRefused    = 118 // the coordinator refused the call (denied, rate limited, …)
	exitKilledOut  = 120 // killed: output cap
	exitKilledMem  = 121 // killed: memory limit
	exitKilledCPU  = 122 // killed: CPU time
	exitKilledFile = 123 // killed: file size limit
	exitTimeout    = 124 // killed: wall timeout or interrupted (as timeout(1))
	exitSandbox    = 125 // the sandbox refused or failed to start the tool
	exitNotFound   = 127 // the program does not exist
)

// defaultExecTool is the catalog tool a command is decided as.
const defaultExecTool = "shell.exec"

// killedExit maps a kill reason to its exit status.
var killedExit = map[string]int{
	string(sandbox.KilledOutput):   exitKilledOut,
	string(sandbox.KilledMemory):   exitKilledMem,
	string(sandbox.KilledCPU):      exitKilledCPU,
	string(sandbox.KilledFileSize): exitKilledFile,
	string(sandbox.KilledTimeout):  exitTimeout,
	string(sandbox.KilledCanceled): exitTimeout,
}

type execFlags struct {
	principal, tool, policyDir, workspace string
	roles, disable                        []string
	approve, verbose                      bool
}

func newExecCmd() *cobra.Command {
	var f execFlags
	cmd := &cobra.Command{
		Use:   "exec [flags] -- CMD [ARG...]",
		Short: "Decide a command as a shell.exec call, then run it in the sandbox",
		Long: `The command becomes a shell.exec call (arguments {"command": CMD ARG... shell-quoted})
decided by the policies; if allowed it runs through bash in the sandbox the decision
set, in the workspace. Exit status: the tool's own; 118 refused by the coordinator;
120 killed for output, 121 memory, 122 CPU, 123 file size, 124 timeout; 125 the
sandbox could not enforce the decision; 127 program not found; 128+N killed by
signal N; 2 bad usage; 3 policy failure.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runExec(cmd, f, args) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.principal, "principal", "cli", "principal id the call is made for")
	fl.StringSliceVar(&f.roles, "role", []string{"developer"}, "role of the principal (repeatable)")
	fl.StringVar(&f.tool, "tool", defaultExecTool, "tool name to decide the call as")
	fl.StringVar(&f.policyDir, "policies", "", "policy directory (default: config, else embedded)")
	fl.StringVar(&f.workspace, "workspace", "", "workspace directory (default: config)")
	fl.BoolVar(&f.approve, "approve", false, "approve the call if the policy requires approval")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print the decision id and sandbox layers to stderr")
	fl.StringSliceVar(&f.disable, "sandbox-disable", nil, "act as if the host lacked this sandbox feature (repeatable)")
	return cmd
}

func runExec(cmd *cobra.Command, f execFlags, args []string) error {
	coord, tool, err := execSetup(cmd, f)
	if err != nil {
		return err
	}
	call, err := execCall(f, args)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	res, err := coord.Execute(cmd.Context(), call, tool)
	_, _ = cmd.OutOrStdout().Write(res.Output)
	if f.verbose && len(res.Layers) > 0 {
		_, _ = fmt.Fprintf(cmd.ErrOrStderr(), "policyctl: sandbox layers: %s\n", strings.Join(res.Layers, ", "))
	}
	return execExit(cmd.ErrOrStderr(), res, err)
}

// execSetup builds the coordinator (engine, approver) and the sandboxed
// shell tool.
func execSetup(cmd *cobra.Command, f execFlags) (*coordinator.Coordinator, coordinator.Tool, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return nil, nil, err
	}
	if f.workspace != "" {
		if cfg.Workspace, err = filepath.Abs(f.workspace); err != nil {
			return nil, nil, exitWith(exitUsage, err)
		}
	}
	eng, err := newEngine(cmd.Context(), cfg, f.policyDir)
	if err != nil {
		return nil, nil, err
	}
	opts := []coordinator.Option{coordinator.WithLimits(cfg.Limits)}
	if f.approve {
		opts = append(opts, coordinator.WithApprover(flagApprover{}))
	}
	coord, err := coordinator.New(eng, opts...)
	if err != nil {
		return nil, nil, exitWith(exitUsage, err)
	}
	tool, err := execTool(cfg.Workspace, processLimits(cfg.Sandbox), f.disable)
	if err != nil {
		return nil, nil, err
	}
	return coord, tool, nil
}

// execTool is the shell tool over a freshly probed sandbox, clamped to the
// site maximums of the configuration.
func execTool(workspace string, max coordinator.ProcessLimits, disable []string) (coordinator.Tool, error) {
	features := make([]sandbox.Feature, len(disable))
	for i, d := range disable {
		features[i] = sandbox.Feature(d)
	}
	r, err := sandbox.New(sandbox.WithoutFeatures(features...))
	if err != nil {
		return nil, exitWith(exitSandbox, err)
	}
	return coordinator.NewProcessTool(r, coordinator.ShellCommand(workspace), max)
}

// processLimits turns the configuration's sandbox maximums into the
// coordinator's process limits.
func processLimits(s config.Sandbox) coordinator.ProcessLimits {
	return coordinator.ProcessLimits{
		Timeout:        time.Duration(s.MaxTimeoutMS) * time.Millisecond,
		CPU:            time.Duration(s.MaxCPUMS) * time.Millisecond,
		MemoryBytes:    s.MaxMemoryMB << 20,
		MaxOutputBytes: s.MaxOutputBytes,
		MaxFileBytes:   s.MaxFileBytes,
		MaxOpenFiles:   s.MaxOpenFiles,
		MaxProcs:       s.MaxProcs,
		AllowNetwork:   s.AllowNetwork,
	}
}

// execCall is the shell.exec call for args, quoted for bash.
func execCall(f execFlags, args []string) (engine.Call, error) {
	words := make([]string, len(args))
	for i, a := range args {
		q, err := syntax.Quote(a, syntax.LangBash)
		if err != nil {
			return engine.Call{}, fmt.Errorf("argument %d: %w", i+1, err)
		}
		words[i] = q
	}
	return engine.Call{
		Tool:      engine.Tool{Name: f.tool, Arguments: map[string]any{"command": strings.Join(words, " ")}},
		Principal: engine.Principal{ID: f.principal, Roles: f.roles},
		Request:   &engine.Request{Source: "cli"},
	}, nil
}

// execExit turns the outcome into the documented exit status, saying why
// on stderr when the tool did not end by itself.
func execExit(stderr io.Writer, res coordinator.Result, err error) error {
	switch {
	case errors.Is(err, coordinator.ErrSandboxViolation) && errors.Is(err, sandbox.ErrNotFound):
		return exitWith(exitNotFound, err)
	case errors.Is(err, coordinator.ErrSandboxViolation):
		return exitWith(exitSandbox, err)
	case res.Killed != "":
		// Before other errors: a timeout also comes back as a context error.
		_, _ = fmt.Fprintf(stderr, "policyctl: killed: %s\n", res.Killed)
	case err != nil:
		return exitWith(exitRefused, err)
	default:
		return exitCode(res.ExitCode)
	}
	if code, ok := killedExit[res.Killed]; ok {
		return exitWith(code, nil)
	}
	return exitCode(res.ExitCode) // signal: 128+N; procs: the tool's own status
}

func exitCode(code int) error {
	if code == 0 {
		return nil
	}
	return exitWith(code, nil)
}

// flagApprover is --approve: the person running the command approves it.
type flagApprover struct{}

func (flagApprover) Approve(context.Context, engine.Call, engine.Decision) (bool, error) {
	return true, nil
}

var _ coordinator.Approver = flagApprover{}
