package sandbox_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/limits/sandbox"
)

// Fail closed, with real runs: a Runner that lacks the mechanism a Spec
// needs refuses it, names the feature, and the tool never starts (it would
// have created a marker file).
func TestRefusesWhatItCannotEnforce(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		without []sandbox.Feature
		edit    func(*sandbox.Spec)
		mention string
	}{
		{"no landlock", []sandbox.Feature{sandbox.FeatureLandlock}, func(*sandbox.Spec) {}, "landlock"},
		{"network none without netns or seccomp",
			[]sandbox.Feature{sandbox.FeatureNetNamespace, sandbox.FeatureSeccomp}, func(*sandbox.Spec) {}, "network"},
		{"max_procs without pids cgroup", []sandbox.Feature{sandbox.FeatureCgroupPids},
			func(s *sandbox.Spec) { s.Limits.MaxProcs = 10 }, "pids"},
		{"network allowlist", nil, func(s *sandbox.Spec) { s.Network = "allowlist" }, "allowlist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			marker := filepath.Join(dir, "ran")
			s := spec("/usr/bin/touch", marker)
			s.WritePaths = []string{dir}
			tc.edit(&s)
			_, err := newRunnerWithout(t, tc.without...).Run(context.Background(), s)
			if !errors.Is(err, sandbox.ErrUnavailable) || !strings.Contains(err.Error(), tc.mention) {
				t.Fatalf("Run = %v, want ErrUnavailable mentioning %q", err, tc.mention)
			}
			if _, err := os.Stat(marker); !os.IsNotExist(err) {
				t.Fatalf("the tool ran although the sandbox refused it (%v)", err)
			}
		})
	}
}

func TestInvalidSpecs(t *testing.T) {
	t.Parallel()
	r := newRunner(t)
	noTimeout := spec("/bin/true")
	noTimeout.Limits.Timeout = 0
	noCap := spec("/bin/true")
	noCap.Limits.MaxOutputBytes = 0
	relative := spec("/bin/true")
	relative.ReadPaths = []string{"etc"}
	for name, s := range map[string]sandbox.Spec{
		"no timeout": noTimeout, "no output cap": noCap, "relative path": relative, "no program": {},
	} {
		if _, err := r.Run(context.Background(), s); !errors.Is(err, sandbox.ErrInvalidSpec) {
			t.Errorf("%s: Run = %v, want ErrInvalidSpec", name, err)
		}
	}
}

func TestProgramNotFound(t *testing.T) {
	t.Parallel()
	r := newRunner(t)
	// The script passes the parent's checks; execve in the helper fails on
	// its missing interpreter, and the helper's report says so.
	script := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(script, []byte("#!/nonexistent/interpreter\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"no-such-program-xyz", "/nonexistent/prog", "/etc/passwd", script} {
		if _, err := r.Run(context.Background(), spec(p)); !errors.Is(err, sandbox.ErrNotFound) {
			t.Errorf("%s: Run = %v, want ErrNotFound", p, err)
		}
	}
}

// A helper that does not dispatch to sandbox.Main is caught when the Runner
// is built, not when the first tool runs.
func TestHelperMustCallMain(t *testing.T) {
	t.Parallel()
	_, err := sandbox.New(sandbox.WithHelper("/bin/true"))
	if !errors.Is(err, sandbox.ErrSetup) {
		t.Fatalf("New with /bin/true as helper = %v, want ErrSetup", err)
	}
}

func TestProbeReport(t *testing.T) {
	t.Parallel()
	c := newRunner(t).Capabilities()
	out := c.String()
	for _, key := range []string{"landlock abi:", "seccomp:", "namespaces:", "cgroup mode:"} {
		if !strings.Contains(out, key) {
			t.Errorf("probe output lacks %q:\n%s", key, out)
		}
	}
	if without := newRunnerWithout(t, sandbox.FeatureLandlock).Capabilities(); without.Has(sandbox.FeatureLandlock) {
		t.Errorf("WithoutFeatures(landlock) still reports landlock")
	}
}
