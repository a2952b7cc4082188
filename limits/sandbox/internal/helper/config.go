// Package helper is the re-executed half of the sandbox: a process that
// restricts itself according to a Config and then execve's the tool, so the
// tool starts life already inside every restriction.
package helper

// Arg is the argv[1] that marks a helper invocation of the host binary.
const Arg = "__toolgate-sandbox-exec"

// File descriptors the parent passes to the helper (exec.Cmd.ExtraFiles
// start at 3).
const (
	ConfigFD = 3 // read end of a pipe carrying the JSON Config
	StatusFD = 4 // write end of a pipe: empty at EOF means execve succeeded
)

// Exit statuses of a helper that failed before execve. The parent reads the
// reason from the status pipe; the status only matters if that pipe is lost.
const (
	ExitSetupFailed = 125
	ExitExecFailed  = 127
)

// Config is everything the helper applies, in the order it applies it.
type Config struct {
	// Path is the absolute path of the tool's executable; Argv its argv
	// (Argv[0] included) and Env its complete environment.
	Path string   `json:"path"`
	Argv []string `json:"argv"`
	Env  []string `json:"env"`

	// MountProc makes / private in the (new) mount namespace and mounts a
	// fresh procfs on /proc, showing only the sandbox's PID namespace.
	MountProc bool `json:"mount_proc,omitempty"`
	// CgroupProcs are cgroup.procs files the helper joins before anything
	// else, so every descendant of the tool is accounted.
	CgroupProcs []string `json:"cgroup_procs,omitempty"`
	Rlimits     Rlimits  `json:"rlimits"`
	// DropCaps empties the capability sets and the bounding set, so a
	// tool running as root keeps uid 0 but none of root's privileges.
	DropCaps bool      `json:"drop_caps,omitempty"`
	Landlock *Landlock `json:"landlock,omitempty"`
	Seccomp  *Seccomp  `json:"seccomp,omitempty"`
}

// Rlimits are set as soft = hard, except CPU whose hard limit is one second
// above the soft one so the tool gets SIGXCPU before SIGKILL. Zero = unset.
type Rlimits struct {
	CPUSeconds   uint64 `json:"cpu_seconds,omitempty"`
	FileBytes    uint64 `json:"file_bytes,omitempty"`
	OpenFiles    uint64 `json:"open_files,omitempty"`
	AddressSpace uint64 `json:"address_space,omitempty"`
}

// Landlock is the file system (and TCP) ruleset. ABI is the version the
// parent checked the kernel supports; the handled rights follow from it.
type Landlock struct {
	ABI        int      `json:"abi"`
	ReadPaths  []string `json:"read_paths"`
	WritePaths []string `json:"write_paths"`
	// DenyTCP handles TCP bind and connect with no rule allowing any port.
	DenyTCP bool `json:"deny_tcp,omitempty"`
	// Scope blocks signals and abstract Unix sockets leaving the domain.
	Scope bool `json:"scope,omitempty"`
}

// Seccomp selects the syscall filter. The always-denied set is fixed;
// DenySockets adds socket(2) for every family but AF_UNIX.
type Seccomp struct {
	DenySockets bool `json:"deny_sockets,omitempty"`
}

// ProbeArg is the argv[1] of a helper invocation that only proves the host
// binary dispatches to the sandbox: it prints ProbeBanner and exits 0. The
// runner uses it to check the helper and to try namespaces before any tool
// depends on them.
const (
	ProbeArg    = "__toolgate-sandbox-probe"
	ProbeProc   = "proc"
	ProbeBanner = "toolgate-sandbox-helper 1\n"
)

// Status is what a helper that failed before execve writes to StatusFD.
type Status struct {
	Stage   string `json:"stage"`
	Errno   int    `json:"errno,omitempty"`
	Message string `json:"message,omitempty"`
}

// Stages of the helper, in order. A Status names the one that failed.
const (
	StageConfig   = "config"
	StageMount    = "mount"
	StageCgroup   = "cgroup"
	StageRlimit   = "rlimit"
	StageCaps     = "capabilities"
	StageLandlock = "landlock"
	StageSeccomp  = "seccomp"
	StageExec     = "execve"
)
