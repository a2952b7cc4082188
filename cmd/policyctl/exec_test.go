package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/limits/sandbox"
)

// TestMain is the package's: policyctl exec re-runs the test binary as the
// sandbox helper, so sandbox.Main must dispatch before any test runs.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}

// execConfig narrows settings.sandbox_max so limits act within a test's
// time: 64 MiB, 4 KiB of output, the wall timeout given (the helper is
// this race-instrumented binary, whose start alone can take a second on a
// loaded host).
const execConfig = `settings:
  sandbox_max:
    timeout_ms: %d
    memory_mb: 64
    max_output_bytes: 4096
    max_procs: 32
    network: any
    fs: write
    env: [PATH]
`

// Wall timeouts of the exec tests: short for the one that must time out,
// long for the others.
const (
	execShortTimeoutMS = 1000
	execLongTimeoutMS  = 30000
)

// runExecCLI runs `policyctl --config <execConfig> exec --workspace <tmp>
// ARGS...` in-process and returns its exit status and streams.
func runExecCLI(t *testing.T, timeoutMS int, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(execConfig, timeoutMS)), 0o600); err != nil {
		t.Fatal(err)
	}
	full := append([]string{"--config", cfg, "exec", "--workspace", dir}, args...)
	var out, errOut bytes.Buffer
	code := run(full, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// confinable reports whether this host can run the shell tool at all; on
// one that cannot, every run must end in exit status 125.
func confinable(t *testing.T) bool {
	r, err := sandbox.New()
	if err != nil {
		t.Fatal(err)
	}
	c := r.Capabilities()
	return c.Has(sandbox.FeatureLandlock) && c.Has(sandbox.FeatureCgroupPids) &&
		(c.Has(sandbox.FeatureNetNamespace) || c.Has(sandbox.FeatureSeccomp))
}

func TestExecRunsAndExits(t *testing.T) {
	t.Parallel()
	// One line: a newline would be quoted as $'…', which the policies deny
	// as obfuscation.
	hog := `x = b"a" * (1 << 30)`
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"output and status 0", []string{"--approve", "--", "echo", "hello world"}, 0, "hello world\n", ""},
		{"tool status", []string{"--approve", "--", "sh", "-c", "exit 7"}, 7, "", ""},
		{"approval required", []string{"--", "echo", "hi"}, exitRefused, "", "approval"},
		{"role may not use shell", []string{"--approve", "--role", "viewer", "--", "echo", "hi"}, exitRefused, "", "denied"},
		{"timeout", []string{"--approve", "--", "sleep", "30"}, exitTimeout, "", "killed: timeout"},
		{"output cap", []string{"--approve", "--", "yes"}, exitKilledOut, "", "killed: output"},
		{"memory", []string{"--approve", "--", "/usr/bin/python3", "-c", hog}, exitKilledMem, "", "killed: memory"},
		{"sandbox cannot enforce", []string{"--approve", "--sandbox-disable", "landlock", "--", "true"}, exitSandbox, "", "landlock"},
	}
	canRun := confinable(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			timeout := execLongTimeoutMS
			if tc.code == exitTimeout {
				timeout = execShortTimeoutMS
			}
			code, out, errOut := runExecCLI(t, timeout, tc.args...)
			if !canRun && tc.code != exitRefused {
				tc.code, tc.stdout, tc.stderr = exitSandbox, "", ""
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if tc.stdout != "" && out != tc.stdout {
				t.Errorf("stdout %q, want %q", out, tc.stdout)
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tc.stderr)
			}
		})
	}
}

// Every kill reason has its status, distinct from each other and from
// 128+signal; a tool killed by a signal no limit explains keeps 128+N.
func TestExecExitStatuses(t *testing.T) {
	t.Parallel()
	seen := map[int]string{}
	for reason, code := range killedExit {
		if other, dup := seen[code]; dup && (!isTimeoutLike(reason) || !isTimeoutLike(other)) {
			t.Errorf("%s and %s share exit status %d", reason, other, code)
		}
		seen[code] = reason
		if code >= 128 {
			t.Errorf("%s: status %d collides with 128+signal", reason, code)
		}
		var errOut bytes.Buffer
		if got := exitOf(execExit(&errOut, coordinator.Result{Killed: reason, ExitCode: 137}, nil)); got != code {
			t.Errorf("%s: exit %d, want %d", reason, got, code)
		}
	}
	var errOut bytes.Buffer
	signal := coordinator.Result{Killed: string(sandbox.KilledSignal), ExitCode: 128 + 11}
	if got := exitOf(execExit(&errOut, signal, nil)); got != 139 {
		t.Errorf("signal: exit %d, want 139", got)
	}
	notFound := &coordinator.Error{Code: coordinator.CodeSandboxViolation, Err: sandbox.ErrNotFound}
	if got := exitOf(execExit(&errOut, coordinator.Result{}, notFound)); got != exitNotFound {
		t.Errorf("not found: exit %d, want %d", got, exitNotFound)
	}
}

func isTimeoutLike(r string) bool {
	return r == string(sandbox.KilledTimeout) || r == string(sandbox.KilledCanceled)
}

func exitOf(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return -1
	}
	return 0
}

// The configuration's sandbox maximums clamp what the policy decides: the
// policy allows 30 s here, the site 1 s, and the site wins.
func TestExecSiteMaximumsClampTheDecision(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	body := fmt.Sprintf(execConfig, execLongTimeoutMS) + "sandbox:\n  max_timeout_ms: 1000\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	start := time.Now()
	code := run([]string{"--config", cfg, "exec", "--workspace", dir, "--approve", "--", "sleep", "20"},
		strings.NewReader(""), &out, &errOut)
	if !confinable(t) {
		if code != exitSandbox {
			t.Fatalf("exit %d on a host that cannot confine, want %d", code, exitSandbox)
		}
		return
	}
	if code != killedExit[string(sandbox.KilledTimeout)] {
		t.Fatalf("exit %d, want the timeout status; stderr: %s", code, errOut.String())
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Fatalf("took %s: the 1 s site maximum did not apply", took)
	}
}

func TestProcessLimitsFromConfig(t *testing.T) {
	t.Parallel()
	got := processLimits(config.Sandbox{MaxTimeoutMS: 1500, MaxCPUMS: 700, MaxMemoryMB: 64, MaxOutputBytes: 10,
		MaxFileBytes: 20, MaxOpenFiles: 30, MaxProcs: 4, AllowNetwork: false})
	want := coordinator.ProcessLimits{Timeout: 1500 * time.Millisecond, CPU: 700 * time.Millisecond,
		MemoryBytes: 64 << 20, MaxOutputBytes: 10, MaxFileBytes: 20, MaxOpenFiles: 30, MaxProcs: 4}
	if got != want {
		t.Fatalf("processLimits = %+v, want %+v", got, want)
	}
}
