//go:build linux

package cgroup

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// A hybrid host like the one this package was built on: v1 controllers
// under a tmpfs, cgroup2 at unified/, this process nested in memory.
const (
	mountinfo = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
	procCgroup = `8:pids:/
4:memory:/process_api/b0f8
0::/
`
)

func TestParseHybridHost(t *testing.T) {
	dir := t.TempDir()
	mi, cg := filepath.Join(dir, "mountinfo"), filepath.Join(dir, "cgroup")
	if err := os.WriteFile(mi, []byte(mountinfo), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cg, []byte(procCgroup), 0o600); err != nil {
		t.Fatal(err)
	}
	mounts, err := cgroupMounts(mi)
	if err != nil {
		t.Fatal(err)
	}
	if got := mode(mounts); got != ModeHybrid {
		t.Errorf("mode %s, want hybrid", got)
	}
	own, err := ownCgroups(cg)
	if err != nil {
		t.Fatal(err)
	}
	for c, want := range map[string]string{
		Memory: "/sys/fs/cgroup/memory/process_api/b0f8",
		Pids:   "/sys/fs/cgroup/pids",
	} {
		if got, err := parentDir(c, mounts, own); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", c, got, err, want)
		}
	}
	if _, err := parentDir("cpu", mounts, own); err == nil {
		t.Errorf("cpu: found a parent for a controller this process is not in")
	}
}

// Groups of dead processes are removed; this process's, a live process's
// and unrelated directories stay.
func TestSweep(t *testing.T) {
	parent := t.TempDir()
	dead := "toolgate-2147483646-1" // above any pid_max
	keep := []string{Name(7), fmt.Sprintf("toolgate-%d-1", os.Getppid()), "toolgate-probe-1", "other"}
	for _, d := range append([]string{dead}, keep...) {
		if err := os.Mkdir(filepath.Join(parent, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if n := Sweep(map[string]string{Memory: parent}); n != 1 {
		t.Fatalf("removed %d, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(parent, dead)); !os.IsNotExist(err) {
		t.Errorf("%s survived: %v", dead, err)
	}
	for _, d := range keep {
		if _, err := os.Stat(filepath.Join(parent, d)); err != nil {
			t.Errorf("%s removed: %v", d, err)
		}
	}
}
