package sandbox_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/toolgate/toolgate/limits/sandbox"
)

// Defaults for test specs: generous, so only the limit under test acts.
const (
	testTimeout = 20 * time.Second
	testOutput  = 1 << 20
	testPath    = "PATH=/usr/local/bin:/usr/bin:/bin"
)

var shared struct {
	once   sync.Once
	runner *sandbox.Runner
	err    error
}

// newRunner returns the Runner shared by tests that need no option.
func newRunner(t *testing.T) *sandbox.Runner {
	t.Helper()
	shared.once.Do(func() { shared.runner, shared.err = sandbox.New() })
	if shared.err != nil {
		t.Fatalf("sandbox.New: %v", shared.err)
	}
	return shared.runner
}

// newRunnerWithout returns a Runner acting as if the host lacked fs.
func newRunnerWithout(t *testing.T, fs ...sandbox.Feature) *sandbox.Runner {
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

// refusal is the feature a Spec needs that the host lacks (the reason Run
// must refuse it), or "" when it must run. It restates the fail-closed
// rules the package documents.
func refusal(c sandbox.Capabilities, s sandbox.Spec) string {
	switch {
	case !c.Has(sandbox.FeatureLandlock):
		return "landlock"
	case s.Network != sandbox.NetworkAny && !c.Has(sandbox.FeatureNetNamespace) && !c.Has(sandbox.FeatureSeccomp):
		return "network"
	case s.Limits.MaxProcs > 0 && !c.Has(sandbox.FeatureCgroupPids):
		return "max_procs"
	}
	return ""
}

// run runs s. On a host lacking a feature s needs it asserts the refusal
// instead and returns nil, so callers check enforcement only where it exists.
func run(t *testing.T, r *sandbox.Runner, s sandbox.Spec) *sandbox.Result {
	t.Helper()
	res, err := r.Run(context.Background(), s)
	if missing := refusal(r.Capabilities(), s); missing != "" {
		if !errors.Is(err, sandbox.ErrUnavailable) {
			t.Fatalf("host lacks %s: Run = %v, want ErrUnavailable", missing, err)
		}
		t.Logf("refused as expected (no %s): %v", missing, err)
		return nil
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func assertKilled(t *testing.T, res *sandbox.Result, want sandbox.Reason) {
	t.Helper()
	if res.Killed != want {
		t.Fatalf("Killed = %q, want %q (exit %d, signal %d, cpu %v)\nstdout: %s\nstderr: %s",
			res.Killed, want, res.ExitCode, res.Signal, res.CPUTime, res.Stdout, res.Stderr)
	}
}

func assertLayer(t *testing.T, res *sandbox.Result, layer string) {
	t.Helper()
	if !slices.Contains(res.Layers, layer) {
		t.Fatalf("layers %v lack %q", res.Layers, layer)
	}
}

var cHog struct {
	once sync.Once
	path string
	err  error
}

// cHogSource allocates and touches memory 1 MiB at a time, forever.
const cHogSource = `#include <stdlib.h>
#include <string.h>
int main(void) {
	for (;;) {
		char *p = malloc(1 << 20);
		if (p == NULL) return 3;
		memset(p, 1, 1 << 20);
	}
}
`

// buildCHog compiles the C hog once per test binary.
func buildCHog(t *testing.T) string {
	t.Helper()
	cHog.once.Do(func() {
		src := filepath.Join(testRoot, "hog.c")
		if cHog.err = os.WriteFile(src, []byte(cHogSource), 0o644); cHog.err != nil {
			return
		}
		cHog.path = filepath.Join(testRoot, "hog")
		out, err := exec.Command("gcc", "-O0", "-o", cHog.path, src).CombinedOutput()
		if err != nil {
			cHog.err = errors.New(string(out))
		}
	})
	if cHog.err != nil {
		t.Fatalf("gcc: %v", cHog.err)
	}
	return cHog.path
}
