//go:build linux

// Package cgroup manages the per-run cgroup v1 groups of the sandbox: one
// memory group and one pids group, created below the cgroups the host
// process already belongs to, so the host's own limits still apply to the
// tools it runs.
package cgroup

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Controllers the sandbox uses.
const (
	Memory = "memory"
	Pids   = "pids"
)

// Modes of the host's cgroup file systems.
const (
	ModeNone   = "none"
	ModeV1     = "v1"
	ModeV2     = "v2"
	ModeHybrid = "hybrid"
)

// Host is what Discover found: the mode and, per usable v1 controller, the
// directory under which per-run groups are created.
type Host struct {
	Mode    string
	Parents map[string]string
	// Notes say why a controller is not usable.
	Notes []string
}

type mount struct{ root, point, fstype, options string }

// Discover finds the v1 memory and pids hierarchies, the cgroup of this
// process in each, and whether it may create groups there.
func Discover() Host {
	h := Host{Mode: ModeNone, Parents: map[string]string{}}
	mounts, err := cgroupMounts("/proc/self/mountinfo")
	if err != nil {
		h.Notes = append(h.Notes, err.Error())
		return h
	}
	h.Mode = mode(mounts)
	own, err := ownCgroups("/proc/self/cgroup")
	if err != nil {
		h.Notes = append(h.Notes, err.Error())
		return h
	}
	for _, c := range []string{Memory, Pids} {
		dir, err := parentDir(c, mounts, own)
		if err == nil {
			err = probeWritable(dir)
		}
		if err != nil {
			h.Notes = append(h.Notes, fmt.Sprintf("cgroup v1 %s: %v", c, err))
			continue
		}
		h.Parents[c] = dir
	}
	return h
}

func mode(mounts []mount) string {
	var v1, v2 bool
	for _, m := range mounts {
		v1 = v1 || m.fstype == "cgroup"
		v2 = v2 || m.fstype == "cgroup2"
	}
	switch {
	case v1 && v2:
		return ModeHybrid
	case v1:
		return ModeV1
	case v2:
		return ModeV2
	}
	return ModeNone
}

// cgroupMounts reads the cgroup and cgroup2 mounts from a mountinfo file.
func cgroupMounts(path string) ([]mount, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	var out []mount
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// id parent major:minor root point opts [optional...] - fstype source superopts
		fields := strings.Fields(sc.Text())
		sep := indexOf(fields, "-")
		if len(fields) < 5 || sep < 0 || sep+1 >= len(fields) {
			continue
		}
		fstype := fields[sep+1]
		if fstype != "cgroup" && fstype != "cgroup2" {
			continue
		}
		opts := ""
		if sep+3 < len(fields) {
			opts = fields[sep+3]
		}
		out = append(out, mount{root: fields[3], point: fields[4], fstype: fstype, options: opts})
	}
	return out, sc.Err()
}

// ownCgroups maps each v1 controller to this process's cgroup path.
func ownCgroups(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	own := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 || parts[1] == "" {
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			own[c] = parts[2]
		}
	}
	return own, nil
}

func parentDir(controller string, mounts []mount, own map[string]string) (string, error) {
	cg, ok := own[controller]
	if !ok {
		return "", fmt.Errorf("controller not attached to this process")
	}
	for _, m := range mounts {
		if m.fstype != "cgroup" || indexOf(strings.Split(m.options, ","), controller) < 0 {
			continue
		}
		rel, err := filepath.Rel(m.root, cg)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		return filepath.Join(m.point, rel), nil
	}
	return "", fmt.Errorf("no v1 hierarchy mounted")
}

// probeWritable creates and removes a group: the only reliable test of
// delegation.
func probeWritable(dir string) error {
	probe := filepath.Join(dir, fmt.Sprintf("toolgate-probe-%d", os.Getpid()))
	if err := os.Mkdir(probe, 0o755); err != nil {
		return err
	}
	return os.Remove(probe)
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
