package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The documented statuses (docs/sandbox.md, exec --help): scripts depend
// on the numbers, not on the names of the constants.
const (
	documentedKilledCPU  = 122
	documentedKilledFile = 123
)

// runExecSite runs `policyctl exec` with execConfig (long wall timeout)
// plus the site maximums in sandboxYAML, in a fresh workspace.
func runExecSite(t *testing.T, sandboxYAML string, args ...string) (code int, stdout, stderr, workspace string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	body := fmt.Sprintf(execConfig, execLongTimeoutMS) + "sandbox:\n" + sandboxYAML
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code = run(append([]string{"--config", cfg, "exec", "--workspace", dir}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String(), dir
}

// Exit status 122: a tool that burns CPU past the site's CPU maximum is
// killed for it (not for the 30 s wall timeout, which it would reach
// otherwise) and policyctl exec says so.
func TestExecKilledForCPU(t *testing.T) {
	t.Parallel()
	code, out, errOut, _ := runExecSite(t, "  max_cpu_ms: 500\n",
		"--approve", "--", "/usr/bin/python3", "-c", "while True: pass")
	if !checkKilled(t, code, documentedKilledCPU, "cpu", out, errOut) {
		return
	}
}

// Exit status 123: a tool that writes a file past the site's file size
// maximum is killed for it (SIGXFSZ), and the file stops at the limit. The
// writer is a child of the shell: the tool itself runs as the init of its
// PID namespace, which the kernel does not kill with SIGXFSZ: a direct
// `dd of=…` only gets EFBIG and exits with its own status 1.
func TestExecKilledForFileSize(t *testing.T) {
	t.Parallel()
	const limit = 4096
	code, out, errOut, ws := runExecSite(t, fmt.Sprintf("  max_file_bytes: %d\n", limit),
		"--approve", "--", "sh", "-c", "head -c 65536 /dev/zero > big.bin")
	if !checkKilled(t, code, documentedKilledFile, "file_size", out, errOut) {
		return
	}
	st, err := os.Stat(filepath.Join(ws, "big.bin"))
	if err != nil {
		t.Fatalf("the tool did not get to write: %v", err)
	}
	if st.Size() > limit {
		t.Errorf("big.bin is %d bytes, past the %d-byte limit", st.Size(), limit)
	}
}

// checkKilled checks the exit status and message of a tool killed for
// reason, and reports whether the tool ran confined: on a host that cannot
// confine, exec must exit with exitSandbox and there is nothing more to check.
func checkKilled(t *testing.T, code, want int, reason, out, errOut string) bool {
	t.Helper()
	if code == want && strings.Contains(errOut, "killed: "+reason) {
		// policyctl confined the tool: whatever this test process' own probe
		// says (a probe racing the parallel tests' cgroups has missed the
		// pids controller on a host that has it), the outcome is the one wanted.
		return true
	}
	if !confinable(t) {
		if code != exitSandbox {
			t.Fatalf("exit %d on a host that cannot confine, want %d", code, exitSandbox)
		}
		return false
	}
	if code != want {
		t.Fatalf("exit %d, want %d (killed: %s)\nstdout: %s\nstderr: %s", code, want, reason, out, errOut)
	}
	if !strings.Contains(errOut, "killed: "+reason) {
		t.Errorf("stderr %q lacks %q", errOut, "killed: "+reason)
	}
	return true
}
