//go:build linux

package helper

import (
	"testing"

	"github.com/elastic/go-seccomp-bpf/arch"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// The error report after RLIMIT_AS is built without allocating.
func TestAppendUintDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, maxDigits)
	var out []byte
	allocs := testing.AllocsPerRun(100, func() { out = appendUint(buf[:0], 18446744073709551615) })
	if allocs != 0 || string(out) != "18446744073709551615" {
		t.Fatalf("appendUint: %q with %v allocations", out, allocs)
	}
}

func TestHandledFSGrowsWithABI(t *testing.T) {
	if HandledFS(1)&unix.LANDLOCK_ACCESS_FS_REFER != 0 || HandledFS(2)&unix.LANDLOCK_ACCESS_FS_REFER == 0 {
		t.Error("REFER is ABI 2")
	}
	if HandledFS(2)&unix.LANDLOCK_ACCESS_FS_TRUNCATE != 0 || HandledFS(3)&unix.LANDLOCK_ACCESS_FS_TRUNCATE == 0 {
		t.Error("TRUNCATE is ABI 3")
	}
	if HandledFS(7)&unix.LANDLOCK_ACCESS_FS_IOCTL_DEV == 0 {
		t.Error("IOCTL_DEV is ABI 5")
	}
}

// The filter assembles on this architecture, every name of the deny list
// the architecture knows is in it, and the guard comes first.
func TestSeccompPolicyAssembles(t *testing.T) {
	info, err := arch.GetInfo("")
	if err != nil {
		t.Fatal(err)
	}
	p := Policy(true, info)
	insts, err := p.Assemble()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bpf.Assemble(append(archGuard(info), insts...)); err != nil {
		t.Fatal(err)
	}
	if n := len(p.Syscalls[0].Names); n < len(AlwaysDenied)-4 {
		t.Errorf("only %d of %d denied syscalls known here", n, len(AlwaysDenied))
	}
}
