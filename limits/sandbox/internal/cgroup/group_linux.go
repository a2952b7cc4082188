//go:build linux

package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Removal of a group fails with EBUSY until the kernel has reaped its last
// task; these bound the wait for that.
const (
	removeAttempts = 50
	removeBackoff  = 10 * time.Millisecond
	killRounds     = 20
)

// Limits of one group. Zero means the controller's group is not limited
// (it may still be created, to track and kill the tree).
type Limits struct {
	MemoryBytes int64
	Pids        int64
}

// Group is one run's groups, one directory per controller.
type Group struct {
	dirs map[string]string
}

// Create makes a group named name below each parent in parents (controller
// → directory) and writes the limits. On error nothing is left behind.
func Create(parents map[string]string, name string, lim Limits) (*Group, error) {
	g := &Group{dirs: map[string]string{}}
	for c, parent := range parents {
		dir := filepath.Join(parent, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			_ = g.Remove()
			return nil, err
		}
		g.dirs[c] = dir
	}
	if err := g.setLimits(lim); err != nil {
		_ = g.Remove()
		return nil, err
	}
	return g, nil
}

func (g *Group) setLimits(lim Limits) error {
	if dir, ok := g.dirs[Memory]; ok && lim.MemoryBytes > 0 {
		v := strconv.FormatInt(lim.MemoryBytes, 10)
		if err := write(dir, "memory.limit_in_bytes", v); err != nil {
			return err
		}
		// With swap accounting, memory+swap gets the same bound so the
		// tool cannot swap its way past the limit.
		if _, err := os.Stat(filepath.Join(dir, "memory.memsw.limit_in_bytes")); err == nil {
			if err := write(dir, "memory.memsw.limit_in_bytes", v); err != nil {
				return err
			}
		}
	}
	if dir, ok := g.dirs[Pids]; ok && lim.Pids > 0 {
		if err := write(dir, "pids.max", strconv.FormatInt(lim.Pids, 10)); err != nil {
			return err
		}
	}
	return nil
}

// ProcsFiles are the cgroup.procs files a process writes to join the group.
func (g *Group) ProcsFiles() []string {
	var out []string
	for _, dir := range g.dirs {
		out = append(out, filepath.Join(dir, "cgroup.procs"))
	}
	return out
}

// Stats is what the kernel counted for the group.
type Stats struct {
	OOMKills     int64 // tasks the OOM killer killed for the memory limit
	PidsRefused  int64 // forks refused by pids.max
	PeakMemBytes int64
}

// Stats reads the counters. A missing controller reads as zero.
func (g *Group) Stats() (Stats, error) {
	var s Stats
	var err error
	if dir, ok := g.dirs[Memory]; ok {
		if s.OOMKills, err = keyed(dir, "memory.oom_control", "oom_kill"); err != nil {
			return s, err
		}
		if s.PeakMemBytes, err = single(dir, "memory.max_usage_in_bytes"); err != nil {
			return s, err
		}
	}
	if dir, ok := g.dirs[Pids]; ok {
		if s.PidsRefused, err = keyed(dir, "pids.events", "max"); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Kill sends SIGKILL to every task in the group until it is empty: this
// reaches processes that left the process group or session (setsid).
func (g *Group) Kill() {
	for round := 0; round < killRounds; round++ {
		alive := false
		for _, f := range g.ProcsFiles() {
			for _, pid := range readPids(f) {
				alive = true
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		if !alive {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// Remove deletes the group's directories, waiting for the kernel to finish
// reaping their tasks.
func (g *Group) Remove() error {
	var errs []error
	for c, dir := range g.dirs {
		var err error
		for i := 0; i < removeAttempts; i++ {
			if err = os.Remove(dir); err == nil || errors.Is(err, os.ErrNotExist) {
				err = nil
				break
			}
			time.Sleep(removeBackoff)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		delete(g.dirs, c)
	}
	return errors.Join(errs...)
}

func write(dir, file, value string) error {
	f, err := os.OpenFile(filepath.Join(dir, file), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(value)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s=%s: %w", file, value, err)
	}
	return nil
}

func single(dir, file string) (int64, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
}

// keyed reads "key value" lines and returns key's value (0 if absent).
func keyed(dir, file, key string) (int64, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == key {
			return strconv.ParseInt(f[1], 10, 64)
		}
	}
	return 0, nil
}

func readPids(procs string) []int {
	data, err := os.ReadFile(procs)
	if err != nil {
		return nil
	}
	var out []int
	for _, s := range strings.Fields(string(data)) {
		if pid, err := strconv.Atoi(s); err == nil {
			out = append(out, pid)
		}
	}
	return out
}
