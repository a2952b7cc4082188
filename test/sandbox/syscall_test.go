package sandbox_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// Escapes through syscalls the filter denies whatever the decision: new
// namespaces (unshare), mounts, and 32-bit syscalls made through int 0x80,
// which a filter matching only the native syscall numbers would let pass.
func TestDeniedSyscalls(t *testing.T) {
	t.Parallel()
	l := newLayout(t)
	for name, script := range map[string]string{
		"unshare user": `unshare -U true`,
		"unshare net":  `unshare -n true`,
		"mount tmpfs":  `mount -t tmpfs none "$WORK"`,
	} {
		res := run(t, newRunner(t), l.spec(script))
		if res == nil {
			return
		}
		t.Run(name, func(t *testing.T) { mustBeDenied(t, res) })
	}
}

// i386Source makes the i386 getpid syscall (number 20) from a 64-bit
// process; it exits 0 when the kernel answered.
const i386Source = `int main(void) {
	long ret;
	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(20) : "memory");
	return ret > 0 ? 0 : 1;
}
`

func TestForeignArchitectureSyscallKilled(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Fatalf("gcc is needed to build the probe: %v", err)
	}
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "i386.c"), filepath.Join(dir, "i386")
	if err := os.WriteFile(src, []byte(i386Source), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("gcc", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v %s", err, out)
	}
	// Outside the sandbox the kernel answers (IA-32 emulation is on), so a
	// failure inside is the filter's doing.
	hostOK := exec.Command(bin).Run() == nil
	res := run(t, newRunner(t), spec(bin))
	if res == nil {
		return
	}
	if !hostOK {
		// Without IA-32 emulation the kernel answers int 0x80 with SIGSEGV
		// (exit 139 on this host); inside, either that or the guard's
		// SIGSYS — never a syscall that ran.
		t.Logf("no IA-32 emulation on this host: the syscall fails everywhere")
		if res.ExitCode == 0 || (res.Signal != int(syscall.SIGSEGV) && res.Signal != int(syscall.SIGSYS)) {
			t.Fatalf("exit %d signal %d killed %q: want SIGSEGV or SIGSYS", res.ExitCode, res.Signal, res.Killed)
		}
		return
	}
	if res.Signal != int(syscall.SIGSYS) {
		t.Fatalf("exit %d signal %d: want SIGSYS from the architecture guard", res.ExitCode, res.Signal)
	}
}
