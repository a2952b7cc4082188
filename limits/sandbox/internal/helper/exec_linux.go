//go:build linux

package helper

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Reports of failures after the last allocation are assembled from these
// prefixes without allocating: RLIMIT_AS may already be in force, and the
// Go allocator cannot be trusted then.
const (
	cgroupPrefix = `{"stage":"` + StageCgroup + `","errno":`
	execPrefix   = `{"stage":"` + StageExec + `","errno":`
	reportSuffix = `}`
	maxDigits    = 20
)

// joinValue is written to cgroup.procs: "0" moves the writing process.
var joinValue = []byte("0")

// execTool joins the cgroups and replaces the helper by the tool.
// Everything that allocates happens first; then the cgroup joins, RLIMIT_AS
// and execve run as raw syscalls on this locked thread, so nothing in
// between can trip the address-space limit (setting it through the runtime
// crashed ~1% of runs) and the Go runtime has no time to start a thread
// that pids.max would refuse.
func execTool(cfg *Config, cgroups []int) {
	path, err := syscall.BytePtrFromString(cfg.Path)
	if err != nil {
		fail(StageExec, err)
	}
	argv, err := syscall.SlicePtrFromStrings(cfg.Argv)
	if err != nil {
		fail(StageExec, err)
	}
	envv, err := syscall.SlicePtrFromStrings(cfg.Env)
	if err != nil {
		fail(StageExec, err)
	}
	cgroupReport := append(make([]byte, 0, len(cgroupPrefix)+maxDigits+1), cgroupPrefix...)
	execReport := append(make([]byte, 0, len(execPrefix)+maxDigits+1), execPrefix...)
	as := unix.Rlimit{Cur: cfg.Rlimits.AddressSpace, Max: cfg.Rlimits.AddressSpace}
	var empty unix.Sigset_t

	for _, fd := range cgroups {
		_, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&joinValue[0])), uintptr(len(joinValue)))
		if e != 0 {
			rawFail(cgroupReport, e)
		}
	}
	// Go threads may block signals; the tool starts with none blocked.
	_, _, _ = unix.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&empty)), 0, unsafe.Sizeof(empty), 0, 0)
	if as.Cur > 0 {
		_, _, e := unix.RawSyscall6(unix.SYS_PRLIMIT64, 0, unix.RLIMIT_AS, uintptr(unsafe.Pointer(&as)), 0, 0, 0)
		if e != 0 {
			rawFail(execReport, e)
		}
	}
	_, _, e := unix.RawSyscall(unix.SYS_EXECVE, uintptr(unsafe.Pointer(path)),
		uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envv[0])))
	rawFail(execReport, e)
}

// rawFail completes a preallocated report with the errno, writes it to the
// status pipe and exits.
func rawFail(report []byte, e unix.Errno) {
	report = appendUint(report, uint64(e))
	report = append(report, reportSuffix...)
	// Nothing is left to report a failed write to: the exit status says it.
	_, _, _ = unix.RawSyscall(unix.SYS_WRITE, StatusFD, uintptr(unsafe.Pointer(&report[0])), uintptr(len(report)))
	_, _, _ = unix.RawSyscall(unix.SYS_EXIT_GROUP, ExitExecFailed, 0, 0)
}

// appendUint formats v in decimal within b's capacity.
func appendUint(b []byte, v uint64) []byte {
	var digits [maxDigits]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, digits[i:]...)
}
