package sandbox

import "time"

// Reason says why the sandbox stopped a tool. Values are stable strings.
type Reason string

// Reasons a run ended other than by itself.
const (
	// KilledTimeout: the wall timeout (or the caller's context deadline)
	// expired; the whole tree was killed.
	KilledTimeout Reason = "timeout"
	// KilledCanceled: the caller canceled its context; the tree was killed.
	KilledCanceled Reason = "canceled"
	// KilledCPU: a process exceeded its CPU time (SIGXCPU, then SIGKILL).
	KilledCPU Reason = "cpu"
	// KilledMemory: the OOM killer acted on the memory cgroup.
	KilledMemory Reason = "memory"
	// KilledOutput: stdout or stderr exceeded the cap; the tree was killed.
	KilledOutput Reason = "output"
	// KilledFileSize: a process wrote past MaxFileBytes (SIGXFSZ).
	KilledFileSize Reason = "file_size"
	// KilledProcs: the process limit refused a fork and the tool then
	// failed. Nothing was killed: the exit status is the tool's own.
	KilledProcs Reason = "procs"
	// KilledSignal: the tool died of a signal none of the limits explains.
	KilledSignal Reason = "signal"
)

// Limits a run ran into without (necessarily) being stopped by them.
const (
	HitProcs = "procs"
)

// Layer names, as listed in Result.Layers and audited. Stable strings.
const (
	LayerPIDNamespace   = "pid_namespace"
	LayerNetNamespace   = "net_namespace"
	LayerMountNamespace = "mount_namespace"
	LayerIPCNamespace   = "ipc_namespace"
	LayerUTSNamespace   = "uts_namespace"
	LayerUserNamespace  = "user_namespace"
	LayerProcfs         = "private_procfs"
	LayerLandlockFS     = "landlock_fs"
	LayerLandlockTCP    = "landlock_tcp"
	LayerLandlockScope  = "landlock_scope"
	LayerSeccomp        = "seccomp"
	LayerSeccompSockets = "seccomp_sockets"
	LayerNoNewPrivs     = "no_new_privs"
	LayerCapsDropped    = "caps_dropped"
	LayerCgroupMemory   = "cgroup_memory"
	LayerCgroupPids     = "cgroup_pids"
	LayerRlimitCPU      = "rlimit_cpu"
	LayerRlimitFsize    = "rlimit_fsize"
	LayerRlimitNofile   = "rlimit_nofile"
	LayerRlimitAS       = "rlimit_as (degraded)"
	LayerTimeout        = "timeout"
	LayerTreeKillPgid   = "pgid_kill (degraded)"
	LayerOutputCap      = "output_cap"
	LayerEnvAllowlist   = "env_allowlist"
)

// Result is what happened to one run.
type Result struct {
	// ExitCode is the tool's exit status, or 128+signal when a signal ended
	// it (the shell convention).
	ExitCode int
	// Signal is the signal that ended the tool, 0 if it exited.
	Signal int
	// Killed is why the sandbox stopped the tool; empty if it ended by
	// itself.
	Killed Reason
	// LimitsHit names limits the tool ran into whatever the outcome (HitProcs).
	LimitsHit []string

	Stdout, Stderr                   []byte
	StdoutTruncated, StderrTruncated bool

	// Layers are the mechanisms applied, Warnings the hardening that could
	// not be and the degraded fallbacks used.
	Layers   []string
	Warnings []string

	Duration     time.Duration
	CPUTime      time.Duration // user+system of the tool's main process and its reaped children
	PeakMemBytes int64         // from the memory cgroup; 0 without one
}

// Truncated reports whether any output was cut at the cap.
func (r *Result) Truncated() bool { return r.StdoutTruncated || r.StderrTruncated }
