//go:build linux

package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/toolgate/toolgate/limits/sandbox/internal/cgroup"
	"github.com/toolgate/toolgate/limits/sandbox/internal/helper"
)

// waitDelay bounds how long the runner waits for the output pipes once the
// tool is gone and its tree killed: a descendant that escaped every kill
// (possible only with neither PID namespace nor cgroup) could hold them
// open forever.
const waitDelay = 500 * time.Millisecond

// maxStatusBytes bounds the helper's failure report.
const maxStatusBytes = 64 << 10

// Causes of a run's context ending that the runner itself triggered.
var (
	errTimeout = errors.New("sandbox: wall timeout")
	errOutput  = errors.New("sandbox: output cap exceeded")
)

// New probes the host and returns a Runner. It fails when the helper
// (by default this executable) does not dispatch to Main.
func New(opts ...Option) (*Runner, error) {
	r := &Runner{}
	for _, o := range opts {
		if err := o(r); err != nil {
			return nil, err
		}
	}
	if r.helper == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("sandbox: locate helper: %w", err)
		}
		r.helper = exe
	}
	caps, err := probe(r.helper)
	if err != nil {
		return nil, err
	}
	r.caps = caps.without(r.disabled)
	return r, nil
}

// Run runs s and reports what happened. An error means the tool did not run
// (or its outcome is unknown): ErrInvalidSpec, ErrUnavailable, ErrNotFound
// or ErrSetup. A tool that failed, or was killed, is a Result, not an error.
func (r *Runner) Run(ctx context.Context, s Spec) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	if s.Dir == "" {
		s.Dir = "/"
	}
	exe, err := resolveExecutable(s.Path, s.Dir, s.Env)
	if err != nil {
		return nil, err
	}
	p, err := makePlan(s, r.caps, exe)
	if err != nil {
		return nil, err
	}
	var grp *cgroup.Group
	if len(p.cgroupParents) > 0 {
		if grp, err = cgroup.Create(p.cgroupParents, runName(), p.cgroupLimits); err != nil {
			return nil, fmt.Errorf("%w: %w: create cgroup: %v", ErrUnavailable, ErrSetup, err)
		}
		p.cfg.CgroupProcs = grp.ProcsFiles()
	}
	res, err := r.execute(ctx, s, p, grp)
	if grp != nil {
		if rerr := grp.Remove(); rerr != nil && res != nil {
			res.Warnings = append(res.Warnings, "cgroup cleanup: "+rerr.Error())
		}
	}
	return res, err
}

// execute starts the helper, hands it the config, waits for the tool and
// builds the Result.
func (r *Runner) execute(ctx context.Context, s Spec, p *plan, grp *cgroup.Group) (*Result, error) {
	ctx, stopTimer := context.WithTimeoutCause(ctx, s.Limits.Timeout, errTimeout)
	defer stopTimer()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	out, err := newOutputs(s.Limits.MaxOutputBytes, func() { cancel(errOutput) })
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSetup, err)
	}
	pipes, err := newHelperPipes()
	if err != nil {
		out.closeAll()
		return nil, fmt.Errorf("%w: %v", ErrSetup, err)
	}
	cmd := r.command(ctx, s, p, out, pipes)
	cmd.Cancel = func() error { killTree(cmd.Process.Pid, p.pidns, grp); return nil }
	// Pdeathsig fires when the forking *thread* exits, and Go ends a thread
	// when a goroutine locked to it returns; holding this thread until Wait
	// returns keeps it alive for the whole run (golang/go#27505).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		pipes.closeAll()
		out.closeAll()
		return nil, fmt.Errorf("%w: start helper: %v", ErrSetup, err)
	}
	out.start()
	status := pipes.handOver(p.cfg)
	_ = cmd.Wait() // the ProcessState says all there is to say
	reapTree(cmd.Process.Pid, p.pidns, grp)
	out.wait(waitDelay)
	if len(status) > 0 {
		return nil, setupError(status)
	}
	res := &Result{Duration: time.Since(start), Layers: p.layers, Warnings: p.warnings}
	res.Stdout, res.StdoutTruncated = out.stdout.result()
	res.Stderr, res.StderrTruncated = out.stderr.result()
	var stats cgroup.Stats
	if grp != nil {
		if stats, err = grp.Stats(); err != nil {
			res.Warnings = append(res.Warnings, "cgroup stats: "+err.Error())
		}
	}
	classify(res, cmd.ProcessState, context.Cause(ctx), stats, s.Limits)
	return res, nil
}

// command builds the helper's exec.Cmd: empty environment (the tool's is
// in the config), the plan's namespaces, output, config and status pipes.
func (r *Runner) command(ctx context.Context, s Spec, p *plan, out *outputs, pipes *helperPipes) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.helper, helper.Arg)
	cmd.Env = []string{}
	cmd.Dir = s.Dir
	cmd.Stdin = s.Stdin
	cmd.Stdout = out.writers[0]
	cmd.Stderr = out.writers[1]
	cmd.ExtraFiles = []*os.File{pipes.configR, pipes.statusW} // fds 3 and 4
	attr := p.attr
	cmd.SysProcAttr = &attr
	cmd.WaitDelay = waitDelay
	return cmd
}

// helperPipes carry the config to the helper and its failure report back.
type helperPipes struct {
	configR, configW, statusR, statusW *os.File
}

func newHelperPipes() (*helperPipes, error) {
	cr, cw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	sr, sw, err := os.Pipe()
	if err != nil {
		_ = cr.Close()
		_ = cw.Close()
		return nil, err
	}
	return &helperPipes{configR: cr, configW: cw, statusR: sr, statusW: sw}, nil
}

func (h *helperPipes) closeAll() {
	for _, f := range []*os.File{h.configR, h.configW, h.statusR, h.statusW} {
		_ = f.Close()
	}
}

// handOver sends the config to the started helper and reads its status
// until EOF: empty when execve succeeded (the pipe is close-on-exec).
func (h *helperPipes) handOver(cfg helper.Config) []byte {
	_ = h.configR.Close()
	_ = h.statusW.Close()
	data, err := json.Marshal(cfg)
	if err == nil {
		_, _ = h.configW.Write(data) // a dead helper shows in the status
	}
	_ = h.configW.Close()
	status, _ := io.ReadAll(io.LimitReader(h.statusR, maxStatusBytes))
	_ = h.statusR.Close()
	return status
}
