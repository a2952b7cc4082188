//go:build linux

package cgroup

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
)

// groupName matches per-run group names, capturing the owner's pid.
var groupName = regexp.MustCompile(`^toolgate-([0-9]+)-[0-9]+$`)

// Name is the group name of run n of this process.
func Name(n uint64) string { return fmt.Sprintf("toolgate-%d-%d", os.Getpid(), n) }

// Sweep removes per-run groups left under parents by processes that no
// longer exist (a host process killed mid-run cannot clean up). Groups that
// still hold tasks cannot be removed and are left alone. It returns how
// many it removed.
func Sweep(parents map[string]string) int {
	removed := 0
	for _, parent := range parents {
		entries, err := os.ReadDir(parent)
		if err != nil {
			continue
		}
		for _, e := range entries {
			m := groupName.FindStringSubmatch(e.Name())
			if m == nil || !e.IsDir() || processExists(m[1]) {
				continue
			}
			if os.Remove(filepath.Join(parent, e.Name())) == nil {
				removed++
			}
		}
	}
	return removed
}

func processExists(pid string) bool {
	if n, err := strconv.Atoi(pid); err != nil || n == os.Getpid() {
		return true
	}
	_, err := os.Stat(filepath.Join("/proc", pid))
	return err == nil
}
