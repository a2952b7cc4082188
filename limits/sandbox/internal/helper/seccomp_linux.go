//go:build linux

package helper

import (
	"fmt"
	"unsafe"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"github.com/elastic/go-seccomp-bpf/arch"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// AlwaysDenied are syscalls no tool needs and sandbox escapes use: kernel
// and namespace administration, tracing other processes, io_uring (which
// bypasses syscall filtering), the new mount API, clock setting, raw I/O.
// They fail with EPERM. Names missing on an architecture are skipped.
var AlwaysDenied = []string{
	"ptrace", "process_vm_readv", "process_vm_writev",
	"mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
	"fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
	"bpf", "perf_event_open", "userfaultfd",
	"keyctl", "add_key", "request_key",
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"open_by_handle_at", "swapon", "swapoff", "reboot", "acct", "quotactl", "syslog",
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
	"iopl", "ioperm",
}

// namespaceFlags are the clone(2) flags that create namespaces; clone with
// any of them is denied like unshare(2).
const namespaceFlags = unix.CLONE_NEWNS | unix.CLONE_NEWUSER | unix.CLONE_NEWPID |
	unix.CLONE_NEWNET | unix.CLONE_NEWIPC | unix.CLONE_NEWUTS | unix.CLONE_NEWCGROUP |
	unix.CLONE_NEWTIME

// afUnix is the only socket family a tool without network may create.
const afUnix = unix.AF_UNIX

// errnoENOSYS makes clone3 look absent: its flags live in memory a filter
// cannot read, and libc falls back to clone(2), which the filter can.
const errnoENOSYS = seccomp.Action(unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS))

// loadSeccomp installs the filter on the calling thread only (no TSYNC):
// execve hands it to the tool. no_new_privs must already be set.
func loadSeccomp(s *Seccomp) error {
	info, err := arch.GetInfo("")
	if err != nil {
		return err
	}
	policy := Policy(s.DenySockets, info)
	insts, err := policy.Assemble()
	if err != nil {
		return fmt.Errorf("assemble: %w", err)
	}
	raw, err := bpf.Assemble(append(archGuard(info), insts...))
	if err != nil {
		return fmt.Errorf("assemble bpf: %w", err)
	}
	filter := make([]unix.SockFilter, len(raw))
	for i, in := range raw {
		filter[i] = unix.SockFilter{Code: in.Op, Jt: in.Jt, Jf: in.Jf, K: in.K}
	}
	prog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	_, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, 0, uintptr(unsafe.Pointer(&prog)))
	if e != 0 {
		return fmt.Errorf("seccomp(SET_MODE_FILTER): %w", e)
	}
	return nil
}

// Policy is the filter for this architecture: allow by default, deny the
// AlwaysDenied set, namespace-creating clones, clone3, and with denySockets
// every socket family but AF_UNIX.
func Policy(denySockets bool, info *arch.Info) seccomp.Policy {
	var names []string
	for _, n := range AlwaysDenied {
		if _, ok := info.SyscallNames[n]; ok {
			names = append(names, n)
		}
	}
	deny := seccomp.SyscallGroup{
		Action: seccomp.ActionErrno,
		Names:  names,
		NamesWithCondtions: []seccomp.NameWithConditions{{
			Name:       "clone",
			Conditions: seccomp.ArgumentConditions{{Argument: 0, Operation: seccomp.BitsSet, Value: namespaceFlags}},
		}},
	}
	if denySockets {
		deny.NamesWithCondtions = append(deny.NamesWithCondtions, seccomp.NameWithConditions{
			Name:       "socket",
			Conditions: seccomp.ArgumentConditions{{Argument: 0, Operation: seccomp.NotEqual, Value: afUnix}},
		})
	}
	groups := []seccomp.SyscallGroup{deny}
	if _, ok := info.SyscallNames["clone3"]; ok {
		groups = append(groups, seccomp.SyscallGroup{Action: errnoENOSYS, Names: []string{"clone3"}})
	}
	return seccomp.Policy{DefaultAction: seccomp.ActionAllow, Syscalls: groups}
}

// archGuard kills a process making a syscall through another ABI (int 0x80
// on x86-64): the library's program allows foreign architectures, and the
// i386 syscall numbers would slip past every rule.
func archGuard(info *arch.Info) []bpf.Instruction {
	const archOffset = 4 // seccomp_data.arch
	return []bpf.Instruction{
		bpf.LoadAbsolute{Off: archOffset, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(info.ID), SkipTrue: 1},
		bpf.RetConstant{Val: unix.SECCOMP_RET_KILL_PROCESS},
	}
}
