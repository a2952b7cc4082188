//go:build linux

package helper

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Landlock file system rights, grouped the way the sandbox grants them.
// The raw syscalls come from x/sys/unix rather than go-landlock: its
// syscall package links libpsx, whose all-thread path is the one seen
// hanging under CLONE_NEWPID, and a per-thread restriction needs none of it.
const (
	// abi1FS are the rights Landlock ABI 1 handles: execute … make_sym.
	abi1FS = unix.LANDLOCK_ACCESS_FS_MAKE_SYM<<1 - 1

	readRights = unix.LANDLOCK_ACCESS_FS_EXECUTE |
		unix.LANDLOCK_ACCESS_FS_READ_FILE |
		unix.LANDLOCK_ACCESS_FS_READ_DIR

	// fileRights are the only rights a rule on a non-directory may carry.
	fileRights = unix.LANDLOCK_ACCESS_FS_EXECUTE |
		unix.LANDLOCK_ACCESS_FS_WRITE_FILE |
		unix.LANDLOCK_ACCESS_FS_READ_FILE |
		unix.LANDLOCK_ACCESS_FS_TRUNCATE |
		unix.LANDLOCK_ACCESS_FS_IOCTL_DEV

	// deviceNodes are never granted, not even in write paths: a tool running
	// as uid 0 could otherwise mknod the host's disk and open it there.
	deviceNodes = unix.LANDLOCK_ACCESS_FS_MAKE_CHAR | unix.LANDLOCK_ACCESS_FS_MAKE_BLOCK

	tcpRights = unix.LANDLOCK_ACCESS_NET_BIND_TCP | unix.LANDLOCK_ACCESS_NET_CONNECT_TCP
	scopes    = unix.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | unix.LANDLOCK_SCOPE_SIGNAL
)

// ABI versions that added what the sandbox uses.
const (
	abiRefer    = 2 // link and rename across directories
	abiTruncate = 3 // truncate(2); below it a read-only file could be emptied
	abiTCP      = 4
	abiIoctlDev = 5
	abiScope    = 6
)

// HandledFS returns the file system rights Landlock ABI abi can restrict.
func HandledFS(abi int) uint64 {
	h := uint64(abi1FS)
	if abi >= abiRefer {
		h |= unix.LANDLOCK_ACCESS_FS_REFER
	}
	if abi >= abiTruncate {
		h |= unix.LANDLOCK_ACCESS_FS_TRUNCATE
	}
	if abi >= abiIoctlDev {
		h |= unix.LANDLOCK_ACCESS_FS_IOCTL_DEV
	}
	return h
}

// restrictLandlock confines the calling thread (and so the exec'd tool) to
// read access below ReadPaths and full access, device nodes excepted, below
// WritePaths. Every right the ABI knows is handled, so whatever no rule
// grants is denied. no_new_privs must already be set.
func restrictLandlock(l *Landlock) error {
	handled := HandledFS(l.ABI)
	attr := unix.LandlockRulesetAttr{Handled_access_fs: handled}
	if l.DenyTCP {
		attr.Handled_access_net = tcpRights // no port rule: every TCP bind/connect fails
	}
	if l.Scope {
		attr.Scoped = scopes
	}
	fd, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET,
		uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	if e != 0 {
		return fmt.Errorf("create ruleset: %w", e)
	}
	ruleset := int(fd)
	defer func() { _ = unix.Close(ruleset) }()
	for _, p := range l.ReadPaths {
		if err := addPathRule(ruleset, p, readRights&handled); err != nil {
			return err
		}
	}
	for _, p := range l.WritePaths {
		if err := addPathRule(ruleset, p, handled&^deviceNodes); err != nil {
			return err
		}
	}
	if _, _, e := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, uintptr(ruleset), 0, 0); e != 0 {
		return fmt.Errorf("restrict self: %w", e)
	}
	return nil
}

// addPathRule grants rights below path (or on it, for a file). A path that
// vanished since the parent checked it is skipped: that grants less.
func addPathRule(ruleset int, path string, rights uint64) error {
	fd, err := unix.Open(path, unix.O_PATH|unix.O_CLOEXEC, 0)
	if errors.Is(err, unix.ENOENT) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer func() { _ = unix.Close(fd) }()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		rights &= fileRights
	}
	rule := unix.LandlockPathBeneathAttr{Allowed_access: rights, Parent_fd: int32(fd)}
	_, _, e := unix.Syscall6(unix.SYS_LANDLOCK_ADD_RULE, uintptr(ruleset),
		unix.LANDLOCK_RULE_PATH_BENEATH, uintptr(unsafe.Pointer(&rule)), 0, 0, 0)
	if e != 0 {
		return fmt.Errorf("add rule %s: %w", path, e)
	}
	return nil
}
