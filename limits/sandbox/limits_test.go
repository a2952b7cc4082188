package sandbox_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/toolgate/toolgate/limits/sandbox"
)

const (
	shortTimeout = 300 * time.Millisecond
	// killSlack is how long after its limit a killed run may end: start-up
	// of the race-instrumented helper, WaitDelay, a loaded 2-CPU host.
	killSlack = 3 * time.Second
	cpuLimit  = time.Second
	// cpuWall leaves a CPU-bound test room on a host loaded by other jobs:
	// 2 s of CPU may take many seconds of wall time there.
	cpuWall   = 60 * time.Second
	hogMemory = 64 << 20
	// chargeSlack: the kernel charges memory in per-CPU batches, so the
	// recorded peak may pass the limit by a few pages.
	chargeSlack = 256 << 10
)

func TestTimeoutKillsBusyLoop(t *testing.T) {
	t.Parallel()
	s := sh("while :; do :; done")
	s.Limits.Timeout = shortTimeout
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	assertKilled(t, res, sandbox.KilledTimeout)
	if res.Duration > shortTimeout+killSlack {
		t.Errorf("took %v for a %v timeout", res.Duration, shortTimeout)
	}
	if res.ExitCode != 128+9 {
		t.Errorf("exit code %d, want 137 (SIGKILL)", res.ExitCode)
	}
}

// The tool is init of its PID namespace, which ignores SIGXCPU: the hard
// limit's SIGKILL ends it, one second later.
func TestCPULimitKillsBusyLoop(t *testing.T) {
	t.Parallel()
	s := sh("while :; do :; done")
	s.Limits.CPU, s.Limits.Timeout = cpuLimit, cpuWall
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	assertKilled(t, res, sandbox.KilledCPU)
	if res.CPUTime < cpuLimit {
		t.Errorf("killed after %v of CPU, limit %v", res.CPUTime, cpuLimit)
	}
	assertLayer(t, res, sandbox.LayerRlimitCPU)
}

// A busy child of a shell gets SIGXCPU at the soft limit and the shell
// reports it as 128+SIGXCPU.
func TestCPULimitKillsChildOfShell(t *testing.T) {
	t.Parallel()
	s := sh(`python3 -c "while True: pass"; exit $?`)
	s.Limits.CPU, s.Limits.Timeout = cpuLimit, cpuWall
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	assertKilled(t, res, sandbox.KilledCPU)
	if res.ExitCode != 128+24 {
		t.Errorf("exit code %d, want 152 (shell reporting SIGXCPU)", res.ExitCode)
	}
}

func TestMemoryHogs(t *testing.T) {
	t.Parallel()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	hogs := map[string]sandbox.Spec{
		"go":     spec(self),
		"python": spec("python3", "-c", "a = []\nwhile True: a.append(b'x' * (1 << 20))"),
		"c":      spec(buildCHog(t)),
	}
	hogs["go"] = withEnv(hogs["go"], hogEnv+"=1")
	for name, s := range hogs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s.Limits.MemoryBytes = hogMemory
			r := newRunner(t)
			res := run(t, r, s)
			if res == nil {
				return
			}
			if !r.Capabilities().Has(sandbox.FeatureCgroupMemory) {
				assertDegradedMemory(t, res)
				return
			}
			assertKilled(t, res, sandbox.KilledMemory)
			assertLayer(t, res, sandbox.LayerCgroupMemory)
			if res.PeakMemBytes > hogMemory+chargeSlack {
				t.Errorf("peak %d bytes above the %d limit", res.PeakMemBytes, hogMemory)
			}
		})
	}
}

// Without a memory cgroup the limit falls back to RLIMIT_AS, per process:
// the allocation fails and the tool exits; nothing is killed.
func TestMemoryFallbackIsRlimitAS(t *testing.T) {
	t.Parallel()
	r := newRunnerWithout(t, sandbox.FeatureCgroupMemory)
	s := spec("python3", "-c", "a = []\nwhile True: a.append(b'x' * (1 << 20))")
	s.Limits.MemoryBytes = hogMemory
	res := run(t, r, s)
	if res == nil {
		return
	}
	assertDegradedMemory(t, res)
	if !bytes.Contains(res.Stderr, []byte("MemoryError")) {
		t.Errorf("stderr lacks MemoryError: %s", res.Stderr)
	}
}

func assertDegradedMemory(t *testing.T, res *sandbox.Result) {
	t.Helper()
	assertLayer(t, res, sandbox.LayerRlimitAS)
	if res.ExitCode == 0 {
		t.Fatalf("hog exited 0 under RLIMIT_AS")
	}
	if len(res.Warnings) == 0 {
		t.Errorf("degraded memory limit without a warning")
	}
}

func TestForkBombContained(t *testing.T) {
	t.Parallel()
	// The shell stays alive (sleep) so the bomb is not simply reaped with
	// the namespace when its init exits.
	s := spec("/bin/bash", "-c", "f() { f | f & }; f; sleep 30")
	s.Limits.MaxProcs = 32
	s.Limits.Timeout = 2 * time.Second
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	assertKilled(t, res, sandbox.KilledTimeout)
	if !slices.Contains(res.LimitsHit, sandbox.HitProcs) {
		t.Errorf("LimitsHit %v lacks procs: the pids limit never refused a fork", res.LimitsHit)
	}
	assertLayer(t, res, sandbox.LayerCgroupPids)
}

// A refused fork kills nothing: the tool sees the failure and its own exit
// status is reported, with the reason.
func TestForkFailureReportsExit(t *testing.T) {
	t.Parallel()
	s := sh(`i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; wait`)
	s.Limits.MaxProcs = 8
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	assertKilled(t, res, sandbox.KilledProcs)
	if res.Signal != 0 || res.ExitCode == 0 {
		t.Errorf("exit %d signal %d: want the shell's own failure status", res.ExitCode, res.Signal)
	}
	if res.Duration > 10*time.Second {
		t.Errorf("took %v: the shell's background sleeps outlived it", res.Duration)
	}
}

func TestOutputCapKills(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	for name, script := range map[string]string{"stdout": "yes", "stderr": "yes >&2"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := sh(script)
			s.Limits.MaxOutputBytes = limit
			res := run(t, newRunner(t), s)
			if res == nil {
				return
			}
			assertKilled(t, res, sandbox.KilledOutput)
			out, truncated := res.Stdout, res.StdoutTruncated
			if name == "stderr" {
				out, truncated = res.Stderr, res.StderrTruncated
			}
			if len(out) != limit || !truncated {
				t.Errorf("%s: kept %d bytes, truncated=%v; want %d, true", name, len(out), truncated, limit)
			}
		})
	}
}

func TestFileSizeLimit(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	dir := t.TempDir()
	s := sh(`head -c 2000000 /dev/zero > big; exit $?`)
	s.Dir, s.WritePaths = dir, []string{dir}
	s.Limits.MaxFileBytes = limit
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	assertKilled(t, res, sandbox.KilledFileSize)
	fi, err := os.Stat(filepath.Join(dir, "big"))
	if err != nil || fi.Size() != limit {
		t.Errorf("file: %v, %v; want exactly %d bytes", fi, err, limit)
	}
}

func TestOpenFilesLimit(t *testing.T) {
	t.Parallel()
	s := spec("python3", "-c", "fs = [open('/dev/null') for _ in range(100)]")
	s.Limits.MaxOpenFiles = 32
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	if res.ExitCode == 0 || !bytes.Contains(res.Stderr, []byte("Too many open files")) {
		t.Errorf("exit %d, stderr %s: want EMFILE", res.ExitCode, res.Stderr)
	}
}

func TestStdin(t *testing.T) {
	t.Parallel()
	r := newRunner(t)
	s := spec("/bin/cat")
	s.Stdin = strings.NewReader("hello from stdin")
	if res := run(t, r, s); res != nil && string(res.Stdout) != "hello from stdin" {
		t.Errorf("stdout %q", res.Stdout)
	}
	// Without Stdin the tool reads end of file at once instead of hanging.
	if res := run(t, r, spec("/bin/cat")); res != nil && (res.ExitCode != 0 || len(res.Stdout) != 0) {
		t.Errorf("cat without stdin: exit %d, stdout %q", res.ExitCode, res.Stdout)
	}
}

// The caller's cancel kills the tree and says so; the caller's deadline
// counts as a timeout.
func TestCallerContext(t *testing.T) {
	t.Parallel()
	r := newRunner(t)
	if refusal(r.Capabilities(), sh("")) != "" {
		return
	}
	canceled := func() context.Context {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(shortTimeout, cancel)
		return ctx
	}
	deadline := func() context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), shortTimeout)
		t.Cleanup(cancel)
		return ctx
	}
	for want, ctx := range map[sandbox.Reason]func() context.Context{
		sandbox.KilledCanceled: canceled, sandbox.KilledTimeout: deadline,
	} {
		res, err := r.Run(ctx(), sh("sleep 30"))
		if err != nil {
			t.Fatal(err)
		}
		assertKilled(t, res, want)
	}
}

func withEnv(s sandbox.Spec, kv ...string) sandbox.Spec {
	s.Env = append(slices.Clone(s.Env), kv...)
	return s
}
