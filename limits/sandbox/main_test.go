package sandbox_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/limits/sandbox"
)

// hogEnv turns the test binary into a Go memory hog: run in the sandbox
// with it set, TestMain allocates until something stops it.
const hogEnv = "TOOLGATE_TEST_GO_HOG"

// pageSize is the stride at which the hog touches its memory: one write
// per page is enough to make it resident.
const pageSize = 4096

// testRoot holds files shared by tests (the compiled C hog).
var testRoot string

// TestMain lets the test binary serve as the sandbox helper (the runner
// re-executes it and sandbox.Main takes over) and as the Go memory hog.
// After the tests it checks that no run left a cgroup behind.
func TestMain(m *testing.M) {
	sandbox.Main()
	if os.Getenv(hogEnv) != "" {
		goHog()
	}
	var err error
	if testRoot, err = os.MkdirTemp("", "toolgate-sandbox-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(testRoot)
	if err := leftoverCgroups(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// hogKeep keeps goHog's memory reachable.
var hogKeep [][]byte

func goHog() {
	for {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += pageSize {
			b[i] = 1
		}
		hogKeep = append(hogKeep, b)
	}
}

// leftoverCgroups reports per-run groups of this process that still exist.
func leftoverCgroups() error {
	r, err := sandbox.New()
	if err != nil {
		return nil // the tests already failed on this
	}
	c := r.Capabilities()
	prefix := fmt.Sprintf("toolgate-%d-", os.Getpid())
	for _, parent := range []string{c.CgroupMemory, c.CgroupPids} {
		if parent == "" {
			continue
		}
		entries, _ := os.ReadDir(parent)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), prefix) {
				return fmt.Errorf("cgroup left behind: %s", filepath.Join(parent, e.Name()))
			}
		}
	}
	return nil
}
