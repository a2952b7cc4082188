//go:build linux

package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/toolgate/toolgate/limits/sandbox/internal/cgroup"
	"github.com/toolgate/toolgate/limits/sandbox/internal/helper"
)

// shellSignalBase is what shells add to a signal number in $?: a shell tool
// reports a child killed by SIGXCPU as exit status 152.
const shellSignalBase = 128

// killTree kills the tool and all its descendants. In a PID namespace the
// helper is its init, and the kernel kills every process of the namespace
// when init dies — setsid and double forks included. Without one, the
// process group and then the cgroup's task list are the best we have.
func killTree(pid int, pidns bool, grp *cgroup.Group) {
	_ = syscall.Kill(pid, syscall.SIGKILL)
	reapTree(pid, pidns, grp)
}

// reapTree kills what is left of the tree once the tool itself has exited:
// daemons it started. In a PID namespace there is nothing left (the
// kernel killed the namespace with its init).
func reapTree(pid int, pidns bool, grp *cgroup.Group) {
	if pidns {
		return
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	if grp != nil {
		grp.Kill()
	}
}

// classify fills in how the tool ended and why. Kills the runner made
// itself (output, timeout, caller) come first; then the kernel's limits,
// from the strongest evidence: the OOM counter, SIGXCPU or SIGKILL past the
// CPU limit, SIGXFSZ.
func classify(res *Result, st *os.ProcessState, cause error, stats cgroup.Stats, lim Limits) {
	ws, _ := st.Sys().(syscall.WaitStatus)
	res.CPUTime = st.UserTime() + st.SystemTime()
	res.PeakMemBytes = stats.PeakMemBytes
	res.ExitCode = ws.ExitStatus()
	if ws.Signaled() {
		res.Signal = int(ws.Signal())
		res.ExitCode = shellSignalBase + res.Signal
	}
	if stats.PidsRefused > 0 {
		res.LimitsHit = append(res.LimitsHit, HitProcs)
	}
	res.Killed = reason(res, ws, cause, stats, lim)
}

func reason(res *Result, ws syscall.WaitStatus, cause error, stats cgroup.Stats, lim Limits) Reason {
	switch {
	case errors.Is(cause, errOutput):
		return KilledOutput
	case errors.Is(cause, errTimeout), errors.Is(cause, context.DeadlineExceeded):
		// A caller's deadline is a timeout too (the coordinator sets one).
		return KilledTimeout
	case cause != nil:
		return KilledCanceled
	case stats.OOMKills > 0:
		return KilledMemory
	case cpuExceeded(res, ws, lim.CPU):
		return KilledCPU
	case diedOf(ws, syscall.SIGXFSZ):
		return KilledFileSize
	case ws.Signaled():
		return KilledSignal
	case stats.PidsRefused > 0 && res.ExitCode != 0:
		return KilledProcs
	}
	return ""
}

// cpuExceeded recognises the CPU limit: SIGXCPU at the soft limit, SIGKILL
// at the hard one (a PID namespace init ignores SIGXCPU, so only the
// SIGKILL comes), or a shell reporting a child that died of SIGXCPU.
func cpuExceeded(res *Result, ws syscall.WaitStatus, limit time.Duration) bool {
	if limit <= 0 {
		return false
	}
	return diedOf(ws, syscall.SIGXCPU) || (ws.Signaled() && ws.Signal() == syscall.SIGKILL && res.CPUTime >= limit)
}

// diedOf reports whether the tool died of sig, or is a shell reporting (as
// 128+sig) that its last command did.
func diedOf(ws syscall.WaitStatus, sig syscall.Signal) bool {
	if ws.Signaled() {
		return ws.Signal() == sig
	}
	return ws.ExitStatus() == shellSignalBase+int(sig)
}

// setupError turns the helper's failure report into an error. A restriction
// the kernel refused is ErrUnavailable as well as ErrSetup: the tool did not
// run because the host could not confine it.
func setupError(status []byte) error {
	var st helper.Status
	if err := json.Unmarshal(status, &st); err != nil {
		return fmt.Errorf("%w: unreadable helper report %q", ErrSetup, status)
	}
	errno := syscall.Errno(st.Errno)
	msg := st.Message
	if msg == "" {
		msg = errno.Error()
	}
	switch st.Stage {
	case helper.StageExec:
		if errno == syscall.ENOENT || errno == syscall.ENOTDIR {
			return fmt.Errorf("%w: execve: %s", ErrNotFound, msg)
		}
		return fmt.Errorf("%w: execve: %s", ErrSetup, msg)
	case helper.StageConfig:
		return fmt.Errorf("%w: helper %s: %s", ErrSetup, st.Stage, msg)
	}
	return fmt.Errorf("%w: %w: helper %s: %s", ErrUnavailable, ErrSetup, st.Stage, msg)
}
