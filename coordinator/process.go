package coordinator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits/sandbox"
)

// ProcessLimits are the site maximums for process tools. A decision's
// sandbox limit is clamped to its maximum here, and a limit the decision
// leaves unset (0) gets the maximum: a process tool never runs unbounded.
// A zero field means the DefaultProcessLimits value.
type ProcessLimits struct {
	Timeout        time.Duration
	CPU            time.Duration
	MemoryBytes    int64
	MaxOutputBytes int64
	MaxFileBytes   int64
	MaxOpenFiles   int64
	MaxProcs       int64
	// AllowNetwork lets a decision's network "any" through; without it the
	// tool runs with network "none" whatever the decision says.
	AllowNetwork bool
}

// DefaultProcessLimits mirror settings.sandbox_max of the default policies.
func DefaultProcessLimits() ProcessLimits {
	return ProcessLimits{
		Timeout: 120 * time.Second, CPU: 60 * time.Second, MemoryBytes: 2 << 30,
		MaxOutputBytes: 10 << 20, MaxFileBytes: 100 << 20, MaxOpenFiles: 1024, MaxProcs: 128,
	}
}

func (m ProcessLimits) withDefaults() ProcessLimits {
	d := DefaultProcessLimits()
	pick := func(v, def int64) int64 {
		if v <= 0 {
			return def
		}
		return v
	}
	m.Timeout = time.Duration(pick(int64(m.Timeout), int64(d.Timeout)))
	m.CPU = time.Duration(pick(int64(m.CPU), int64(d.CPU)))
	m.MemoryBytes = pick(m.MemoryBytes, d.MemoryBytes)
	m.MaxOutputBytes = pick(m.MaxOutputBytes, d.MaxOutputBytes)
	m.MaxFileBytes = pick(m.MaxFileBytes, d.MaxFileBytes)
	m.MaxOpenFiles = pick(m.MaxOpenFiles, d.MaxOpenFiles)
	m.MaxProcs = pick(m.MaxProcs, d.MaxProcs)
	return m
}

// Command is what a process tool runs for one call.
type Command struct {
	Path  string   // absolute, or looked up in the granted PATH
	Args  []string // without argv[0]
	Dir   string
	Stdin []byte // nil: the tool reads end of file
}

// CommandFunc turns an allowed call into the Command to run.
type CommandFunc func(call engine.Call) (Command, error)

// ProcessTool is a Tool that runs a process in the sandbox the decision set.
type ProcessTool struct {
	runner    *sandbox.Runner
	command   CommandFunc
	max       ProcessLimits
	lookupEnv func(string) (string, bool)
}

var _ Tool = (*ProcessTool)(nil)

// NewProcessTool returns a Tool running command's processes through r,
// within max.
func NewProcessTool(r *sandbox.Runner, command CommandFunc, max ProcessLimits) (*ProcessTool, error) {
	if r == nil || command == nil {
		return nil, errors.New("coordinator: process tool needs a sandbox runner and a command")
	}
	return &ProcessTool{runner: r, command: command, max: max.withDefaults(), lookupEnv: os.LookupEnv}, nil
}

// Run implements Tool. The output is stdout followed by stderr, capped
// together at max_output_bytes. A sandbox that cannot enforce the decision, or
// cannot start the tool, is a sandbox_violation refusal: the tool did not
// run. A tool that ran and failed or was killed is a Result.
func (p *ProcessTool) Run(ctx context.Context, inv Invocation) (Result, error) {
	cmd, err := p.command(inv.Call)
	if err != nil {
		return Result{}, refusal(CodeInvalidInput, err.Error(), err)
	}
	spec := p.spec(cmd, inv.Decision.Sandbox)
	res, err := p.runner.Run(ctx, spec)
	if err != nil {
		e := refusal(CodeSandboxViolation, err.Error(), err)
		e.DecisionID = inv.Decision.ID
		return Result{}, e
	}
	// The sandbox caps each stream; together they stay within the cap too.
	return capOutput(Result{
		Output:    bytes.Join([][]byte{res.Stdout, res.Stderr}, nil),
		ExitCode:  res.ExitCode,
		Truncated: res.Truncated(),
		Killed:    string(res.Killed),
		Layers:    res.Layers,
	}, spec.Limits.MaxOutputBytes), nil
}

// spec maps the decided sandbox onto a sandbox.Spec, clamped to the site
// maximums. Only the environment variables the decision names pass, with
// this process's values.
func (p *ProcessTool) spec(cmd Command, sb engine.Sandbox) sandbox.Spec {
	s := sandbox.Spec{
		Path: cmd.Path, Args: cmd.Args, Dir: cmd.Dir,
		Network: p.network(sb.Network), ReadPaths: sb.ReadPaths, WritePaths: sb.WritePaths,
		Limits: sandbox.Limits{
			Timeout:        clampMS(sb.TimeoutMS, p.max.Timeout),
			CPU:            clampMS(sb.CPUMS, p.max.CPU),
			MemoryBytes:    clamp(sb.MemoryMB<<20, p.max.MemoryBytes),
			MaxOutputBytes: clamp(sb.MaxOutputBytes, p.max.MaxOutputBytes),
			MaxFileBytes:   clamp(sb.MaxFileBytes, p.max.MaxFileBytes),
			MaxOpenFiles:   clamp(sb.MaxOpenFiles, p.max.MaxOpenFiles),
			MaxProcs:       clamp(sb.MaxProcs, p.max.MaxProcs),
		},
	}
	if cmd.Stdin != nil {
		s.Stdin = bytes.NewReader(cmd.Stdin)
	}
	for _, name := range sb.Env {
		if v, ok := p.lookupEnv(name); ok {
			s.Env = append(s.Env, name+"="+v)
		}
	}
	return s
}

// network narrows the decided mode to what the site allows. An unknown
// mode (allowlist included) passes through: the sandbox refuses it.
func (p *ProcessTool) network(mode string) string {
	switch mode {
	case "", engine.NetworkNone:
		return sandbox.NetworkNone
	case engine.NetworkAny:
		if p.max.AllowNetwork {
			return sandbox.NetworkAny
		}
		return sandbox.NetworkNone
	}
	return mode
}

// clamp returns v bounded by max; unset (<= 0) means max.
func clamp(v, max int64) int64 {
	if v <= 0 || v > max {
		return max
	}
	return v
}

func clampMS(ms int64, max time.Duration) time.Duration {
	if ms <= 0 || ms > int64(max/time.Millisecond) {
		return max
	}
	return time.Duration(ms) * time.Millisecond
}

// ShellCommand runs a shell.exec call: its "command" argument with
// /bin/bash -c, in its "cwd" argument (relative to workspace) or in the
// workspace.
func ShellCommand(workspace string) CommandFunc {
	return func(call engine.Call) (Command, error) {
		script, ok := call.Tool.Arguments["command"].(string)
		if !ok || script == "" {
			return Command{}, fmt.Errorf("%s: argument \"command\" must be a non-empty string", call.Tool.Name)
		}
		dir := workspace
		if cwd, ok := call.Tool.Arguments["cwd"].(string); ok && cwd != "" {
			if !filepath.IsAbs(cwd) {
				cwd = filepath.Join(workspace, cwd)
			}
			dir = cwd
		}
		return Command{Path: "/bin/bash", Args: []string{"-c", script}, Dir: dir}, nil
	}
}
