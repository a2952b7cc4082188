//go:build linux

package helper

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// maxConfigBytes bounds the config the helper reads: argv and env of a tool
// call are already bounded far below this by the engine.
const maxConfigBytes = 16 << 20

// firstUnmanagedFD is the lowest descriptor the helper did not receive on
// purpose; everything from here on is closed at execve.
const firstUnmanagedFD = StatusFD + 1

// Main restricts the current thread as the Config on ConfigFD says and
// execve's the tool from that same thread. It never returns. Every
// restriction is per thread (Landlock, seccomp, no_new_privs, capabilities)
// or per process (rlimits, cgroups, namespaces), and execve hands the
// calling thread's state to the new image, so no all-thread synchronisation
// (psx, TSYNC) is needed: other Go threads die at execve.
func Main() {
	runtime.LockOSThread()
	cfg, err := readConfig()
	if err != nil {
		fail(StageConfig, err)
	}
	// Inherited descriptors beyond the two we were given must not reach the
	// tool; ours (StatusFD) closes at execve so the parent sees EOF.
	_ = unix.CloseRange(firstUnmanagedFD, math.MaxUint32, unix.CLOSE_RANGE_CLOEXEC)
	if _, err := unix.FcntlInt(StatusFD, unix.F_SETFD, unix.FD_CLOEXEC); err != nil {
		fail(StageConfig, err)
	}
	cgroups, stage, err := apply(cfg)
	if err != nil {
		fail(stage, err)
	}
	execTool(cfg, cgroups)
}

// Probe answers a ProbeArg invocation. With ProbeProc as the next argument
// it first mounts a private procfs, as a run would: in some containers the
// kernel refuses that even where the namespaces are allowed.
func Probe() {
	if len(os.Args) > 2 && os.Args[2] == ProbeProc {
		if err := mountProc(); err != nil {
			_, _ = os.Stderr.WriteString(err.Error() + "\n")
			exit(1)
		}
	}
	_, _ = os.Stdout.WriteString(ProbeBanner)
	exit(0)
}

func readConfig() (*Config, error) {
	f := os.NewFile(ConfigFD, "sandbox-config")
	if f == nil {
		return nil, errors.New("no config descriptor")
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigBytes {
		return nil, errors.New("config too large")
	}
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, err
	}
	if cfg.Path == "" || len(cfg.Argv) == 0 {
		return nil, errors.New("config names no program")
	}
	return &cfg, nil
}

// apply runs every stage before execve, in the order that keeps each one
// possible: mounts and cgroups need privileges that the capability drop
// removes, and Landlock and seccomp come last because they would forbid the
// earlier steps.
// It returns the open cgroup.procs descriptors for execTool to join.
func apply(cfg *Config) ([]int, string, error) {
	if cfg.MountProc {
		if err := mountProc(); err != nil {
			return nil, StageMount, err
		}
	}
	cgroups, err := openCgroups(cfg.CgroupProcs)
	if err != nil {
		return nil, StageCgroup, err
	}
	if err := setRlimits(cfg.Rlimits); err != nil {
		return nil, StageRlimit, err
	}
	if cfg.DropCaps {
		if err := dropCapabilities(); err != nil {
			return nil, StageCaps, err
		}
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return nil, StageLandlock, fmt.Errorf("no_new_privs: %w", err)
	}
	if cfg.Landlock != nil {
		if err := restrictLandlock(cfg.Landlock); err != nil {
			return nil, StageLandlock, err
		}
	}
	if cfg.Seccomp != nil {
		if err := loadSeccomp(cfg.Seccomp); err != nil {
			return nil, StageSeccomp, err
		}
	}
	return cgroups, "", nil
}

// fail reports a setup failure to the parent and exits without running the
// tool.
func fail(stage string, err error) {
	st := Status{Stage: stage, Message: err.Error()}
	var errno unix.Errno
	if errors.As(err, &errno) {
		st.Errno = int(errno)
	}
	data, _ := json.Marshal(st)
	_, _ = unix.Write(StatusFD, data)
	exit(ExitSetupFailed)
}

// exit ends the helper at once. os.Exit would run the race detector's exit
// hooks in -race test binaries, which sleep a second.
func exit(code int) { unix.Exit(code) }
