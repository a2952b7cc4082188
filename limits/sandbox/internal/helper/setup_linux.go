//go:build linux

package helper

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// cpuGraceSeconds separates the CPU soft limit (SIGXCPU, catchable) from the
// hard one (SIGKILL): a tool may flush and exit in that second.
const cpuGraceSeconds = 1

// maxCapability is above any capability number a kernel defines (40 on
// 6.18); PR_CAPBSET_DROP answers EINVAL past the kernel's last one.
const maxCapability = 63

// procFlags mount the sandbox's procfs without devices, setuid or exec.
const procFlags = unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC

// mountProc replaces /proc, inside the sandbox's own mount namespace, by a
// procfs of its PID namespace: the tool sees its own processes only, not the
// host's (whose /proc/<pid>/environ would hold the parent's secrets).
func mountProc() error {
	// Private first, so nothing we mount propagates back to the host.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make / private: %w", err)
	}
	if err := unix.Mount("proc", "/proc", "proc", procFlags, ""); err != nil {
		return fmt.Errorf("mount /proc: %w", err)
	}
	return nil
}

// openCgroups opens the cgroup.procs files while the helper still has the
// privileges to. It joins them only right before execve (joinCgroups): the
// helper's own pages then stay charged where they were, and its Go runtime
// threads spend microseconds, not milliseconds, counted against pids.max.
func openCgroups(procsFiles []string) ([]int, error) {
	fds := make([]int, 0, len(procsFiles))
	for _, p := range procsFiles {
		fd, err := unix.Open(p, unix.O_WRONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", p, err)
		}
		fds = append(fds, fd)
	}
	return fds, nil
}

// setRlimits sets every limit but the address space, which execTool sets
// last. NOFILE soft = hard because Go programs raise their soft limit to
// the hard one at start-up.
func setRlimits(r Rlimits) error {
	if r.CPUSeconds > 0 {
		if err := setRlimit(unix.RLIMIT_CPU, r.CPUSeconds, r.CPUSeconds+cpuGraceSeconds); err != nil {
			return fmt.Errorf("RLIMIT_CPU: %w", err)
		}
	}
	if r.FileBytes > 0 {
		if err := setRlimit(unix.RLIMIT_FSIZE, r.FileBytes, r.FileBytes); err != nil {
			return fmt.Errorf("RLIMIT_FSIZE: %w", err)
		}
	}
	if r.OpenFiles > 0 {
		if err := setRlimit(unix.RLIMIT_NOFILE, r.OpenFiles, r.OpenFiles); err != nil {
			return fmt.Errorf("RLIMIT_NOFILE: %w", err)
		}
	}
	return nil
}

// setRlimit uses prlimit(2) directly: syscall.Setrlimit would also adjust
// the Go runtime's saved NOFILE limit, which we never want restored.
func setRlimit(resource int, soft, hard uint64) error {
	lim := unix.Rlimit{Cur: soft, Max: hard}
	return unix.Prlimit(0, resource, &lim, nil)
}

// dropCapabilities leaves uid 0 with no privilege: the bounding set is
// emptied so execve cannot grant root's usual full set, ambient capabilities
// are cleared, and the thread's own sets are zeroed.
func dropCapabilities() error {
	for c := 0; c <= maxCapability; c++ {
		err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0)
		if err != nil && err != unix.EINVAL { // EINVAL: the kernel has no such capability
			return fmt.Errorf("drop bounding capability %d: %w", c, err)
		}
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil && err != unix.EINVAL {
		return fmt.Errorf("clear ambient capabilities: %w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capset: %w", err)
	}
	return nil
}
