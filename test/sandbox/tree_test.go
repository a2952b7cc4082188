package sandbox_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/toolgate/toolgate/limits/sandbox"
)

const (
	treeTimeout = 3 * time.Second
	// appearWithin bounds how long a planted process may take to show up
	// in the host's /proc; goneWithin how long the kernel may take to reap
	// it after the run returned.
	appearWithin = 10 * time.Second
	goneWithin   = 10 * time.Second // a bound for a loaded 2-core machine, not a measurement
	pollEvery    = 20 * time.Millisecond
)

var markers atomic.Int64

// marker returns a sleep duration no other process on the host uses, so
// the process can be found in the host's /proc by its command line.
func marker() string {
	return fmt.Sprintf("987.%d%06d", os.Getpid()%1000, markers.Add(1))
}

// findProcess returns the host pid of a process whose argv contains m.
func findProcess(m string) int {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if bytes.Contains(cmd, []byte(m)) {
			return pid
		}
	}
	return 0
}

func waitFor(t *testing.T, within time.Duration, cond func() bool) bool {
	t.Helper()
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(pollEvery) {
		if cond() {
			return true
		}
	}
	return cond()
}

// treeRunners are the two ways the tree is killed: through the PID
// namespace, and without one through the cgroup's task list.
func treeRunners(t *testing.T) map[string]*sandbox.Runner {
	return map[string]*sandbox.Runner{
		"pid namespace": newRunner(t),
		"cgroup kill":   newRunnerWithout(t, sandbox.FeaturePIDNamespace),
	}
}

// runPlanted runs s (which must start `sleep <m>` somewhere in its tree),
// checks that process really existed, calls found (if any) once it has,
// and returns the result once the run is over.
func runPlanted(t *testing.T, r *sandbox.Runner, s sandbox.Spec, m string, found func()) (*sandbox.Result, int) {
	t.Helper()
	type outcome struct {
		res *sandbox.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := r.Run(context.Background(), s)
		done <- outcome{res, err}
	}()
	var pid int
	waitFor(t, appearWithin, func() bool { pid = findProcess(m); return pid != 0 })
	if pid != 0 && found != nil {
		found()
	}
	o := <-done
	if o.err != nil {
		t.Fatalf("Run: %v", o.err)
	}
	if pid == 0 {
		t.Fatalf("the planted process never ran (killed %q after %v, stderr: %s)", o.res.Killed, o.res.Duration, o.res.Stderr)
	}
	return o.res, pid
}

func assertGone(t *testing.T, pid int, m string) {
	t.Helper()
	if !waitFor(t, goneWithin, func() bool { return findProcess(m) == 0 }) {
		t.Fatalf("pid %d (sleep %s) outlived the sandbox", pid, m)
	}
}

// A grandchild that double-forked into its own session (escaping the
// process group) is killed with the rest when the timeout expires.
func TestTimeoutKillsSetsidGrandchild(t *testing.T) {
	t.Parallel()
	for name, r := range treeRunners(t) {
		t.Run(name, func(t *testing.T) {
			m := marker()
			s := sh(fmt.Sprintf(`(setsid sleep %s &); sleep 60`, m))
			s.Limits.Timeout = treeTimeout
			res, pid := runPlanted(t, r, s, m, nil)
			if res.Killed != sandbox.KilledTimeout {
				t.Fatalf("Killed = %q, want timeout", res.Killed)
			}
			assertGone(t, pid, m)
		})
	}
}

// A tool that exits leaves nothing running behind it.
func TestNoDaemonOutlivesTool(t *testing.T) {
	t.Parallel()
	for name, r := range treeRunners(t) {
		t.Run(name, func(t *testing.T) {
			m := marker()
			// The tool exits 0 once the test has seen the daemon running
			// and created the file "seen".
			dir := t.TempDir()
			s := sh(fmt.Sprintf(`(setsid sleep %s &); while [ ! -e seen ]; do sleep 0.05; done; exit 0`, m))
			s.Dir, s.WritePaths = dir, []string{dir}
			seen := func() { write(t, filepath.Join(dir, "seen"), "") }
			res, pid := runPlanted(t, r, s, m, seen)
			mustSucceed(t, res)
			assertGone(t, pid, m)
		})
	}
}

// The tool and its child ignore SIGTERM; the timeout kills them anyway
// (the sandbox sends SIGKILL, which cannot be ignored).
func TestTimeoutKillsSigtermIgnorers(t *testing.T) {
	t.Parallel()
	for name, r := range treeRunners(t) {
		t.Run(name, func(t *testing.T) {
			m := marker()
			s := sh(fmt.Sprintf(`trap "" TERM; (trap "" TERM; exec sleep %s) & wait; wait`, m))
			s.Limits.Timeout = treeTimeout
			res, pid := runPlanted(t, r, s, m, nil)
			if res.Killed != sandbox.KilledTimeout {
				t.Fatalf("Killed = %q, want timeout", res.Killed)
			}
			assertGone(t, pid, m)
		})
	}
}
