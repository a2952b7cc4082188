// Package sandbox_test attacks the process sandbox with real processes:
// escapes through the file system, the network, the process tree and the
// environment, plus benign tools that must keep working.
package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/toolgate/toolgate/limits/sandbox"
)

// parentSecret is in this process's environment and must never reach a tool.
const (
	parentSecretName  = "TOOLGATE_TEST_PARENT_SECRET"
	parentSecretValue = "hunter2-must-not-leak-7f3a"
)

const (
	testTimeout = 20 * time.Second
	testOutput  = 1 << 20
	testPath    = "PATH=/usr/local/bin:/usr/bin:/bin"
)

// TestMain makes the test binary the sandbox helper and plants the secret
// before any test starts.
func TestMain(m *testing.M) {
	sandbox.Main()
	if err := os.Setenv(parentSecretName, parentSecretValue); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

var shared struct {
	once   sync.Once
	runner *sandbox.Runner
	err    error
}

func newRunner(t testing.TB) *sandbox.Runner {
	t.Helper()
	shared.once.Do(func() { shared.runner, shared.err = sandbox.New() })
	if shared.err != nil {
		t.Fatalf("sandbox.New: %v", shared.err)
	}
	return shared.runner
}

func newRunnerWithout(t testing.TB, fs ...sandbox.Feature) *sandbox.Runner {
	t.Helper()
	r, err := sandbox.New(sandbox.WithoutFeatures(fs...))
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	return r
}

func spec(path string, args ...string) sandbox.Spec {
	return sandbox.Spec{
		Path: path, Args: args, Env: []string{testPath},
		Limits: sandbox.Limits{Timeout: testTimeout, MaxOutputBytes: testOutput},
	}
}

func sh(script string) sandbox.Spec { return spec("/bin/sh", "-c", script) }

// run runs s. Every run needs Landlock, and network "none" a network
// namespace or seccomp: on a host without them the test asserts the
// refusal (and returns nil) instead of skipping.
func run(t *testing.T, r *sandbox.Runner, s sandbox.Spec) *sandbox.Result {
	t.Helper()
	res, err := r.Run(context.Background(), s)
	c := r.Capabilities()
	if !c.Has(sandbox.FeatureLandlock) || (s.Network != sandbox.NetworkAny &&
		!c.Has(sandbox.FeatureNetNamespace) && !c.Has(sandbox.FeatureSeccomp)) {
		if !errors.Is(err, sandbox.ErrUnavailable) {
			t.Fatalf("host cannot confine this spec: Run = %v, want ErrUnavailable", err)
		}
		return nil
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// mustSucceed fails unless the tool exited 0 by itself.
func mustSucceed(t *testing.T, res *sandbox.Result) {
	t.Helper()
	if res.ExitCode != 0 || res.Killed != "" {
		t.Fatalf("exit %d killed %q\nstdout: %s\nstderr: %s", res.ExitCode, res.Killed, res.Stdout, res.Stderr)
	}
}

// mustFail fails unless the tool exited non-zero by itself.
func mustFail(t *testing.T, res *sandbox.Result) {
	t.Helper()
	if res.ExitCode == 0 || res.Killed != "" {
		t.Fatalf("want a failure of the tool itself: exit %d killed %q\nstdout: %s\nstderr: %s",
			res.ExitCode, res.Killed, res.Stdout, res.Stderr)
	}
}

func hasLayer(res *sandbox.Result, l string) bool { return slices.Contains(res.Layers, l) }
