//go:build linux

package sandbox

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"syscall"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"golang.org/x/sys/unix"

	"github.com/toolgate/toolgate/limits/sandbox/internal/cgroup"
	"github.com/toolgate/toolgate/limits/sandbox/internal/helper"
)

// namespaceFeatures maps each namespace the sandbox may create to its
// clone flag.
var namespaceFeatures = []struct {
	feature Feature
	flag    uintptr
}{
	{FeaturePIDNamespace, syscall.CLONE_NEWPID},
	{FeatureNetNamespace, syscall.CLONE_NEWNET},
	{FeatureMountNamespace, syscall.CLONE_NEWNS},
	{FeatureIPCNamespace, syscall.CLONE_NEWIPC},
	{FeatureUTSNamespace, syscall.CLONE_NEWUTS},
}

// probe finds what this host offers. It fails only when the helper does
// not answer: then no tool could run confined at all.
func probe(helperPath string) (Capabilities, error) {
	c := Capabilities{Root: os.Geteuid() == 0}
	if err := startProbe(helperPath, 0, false); err != nil {
		return c, fmt.Errorf("%w: helper %s does not dispatch to sandbox.Main: %v", ErrSetup, helperPath, err)
	}
	c.LandlockABI = landlockABI()
	if c.LandlockABI < MinLandlockABI {
		c.Notes = append(c.Notes, fmt.Sprintf("landlock ABI %d is below %d", c.LandlockABI, MinLandlockABI))
	}
	c.Seccomp = seccomp.Supported()
	if !c.Seccomp {
		c.Notes = append(c.Notes, "seccomp filters are not supported")
	}
	probeNamespaces(&c, helperPath)
	h := cgroup.Discover()
	if n := cgroup.Sweep(h.Parents); n > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("removed %d cgroups left by dead processes", n))
	}
	c.CgroupMode = h.Mode
	c.CgroupMemory = h.Parents[cgroup.Memory]
	c.CgroupPids = h.Parents[cgroup.Pids]
	c.Notes = append(c.Notes, h.Notes...)
	return c, nil
}

// landlockABI asks the kernel which Landlock ABI it implements (0: none).
func landlockABI() int {
	v, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	if e != 0 {
		return 0
	}
	return int(v)
}

// probeNamespaces starts the helper in the namespaces: only a real clone
// tells whether privileges, sysctls and LSMs allow them. All at once first
// (one start on a capable host), one by one if that fails. Without root,
// they are tried inside a new user namespace, as Run would.
func probeNamespaces(c *Capabilities, helperPath string) {
	userns := !c.Root
	c.UserNamespace = startProbe(helperPath, syscall.CLONE_NEWUSER, true) == nil
	if userns && !c.UserNamespace {
		c.Notes = append(c.Notes, "not root and no user namespace: no other namespace either")
		return
	}
	var all uintptr
	for _, ns := range namespaceFeatures {
		all |= ns.flag
	}
	together := startProbe(helperPath, all, userns) == nil
	for _, ns := range namespaceFeatures {
		if !together {
			if err := startProbe(helperPath, ns.flag, userns); err != nil {
				c.Notes = append(c.Notes, fmt.Sprintf("%s: %v", ns.feature, err))
				continue
			}
		}
		*c = c.with(ns.feature)
	}
	if c.PIDNamespace && c.MountNamespace {
		err := startProbe(helperPath, syscall.CLONE_NEWPID|syscall.CLONE_NEWNS, userns, helper.ProbeProc)
		c.PrivateProc = err == nil
		if err != nil {
			c.Notes = append(c.Notes, fmt.Sprintf("private procfs: %v", err))
		}
	}
}

// with returns c with feature f marked available; f is one of
// namespaceFeatures.
func (c Capabilities) with(f Feature) Capabilities {
	if b := c.flag(f); b != nil {
		*b = true
	}
	return c
}

// startProbe runs the helper in probe mode with the given clone flags and
// checks that it answered.
func startProbe(helperPath string, flags uintptr, userns bool, args ...string) error {
	cmd := exec.Command(helperPath, append([]string{helper.ProbeArg}, args...)...)
	cmd.Env = []string{}
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: flags}
	if userns {
		setUserNamespace(cmd.SysProcAttr)
	}
	out, err := cmd.Output()
	if err != nil {
		return err
	}
	if !bytes.Equal(out, []byte(helper.ProbeBanner)) {
		return fmt.Errorf("unexpected answer %q", out)
	}
	return nil
}

// setUserNamespace adds a user namespace mapping the caller's ids to
// themselves, which an unprivileged process may create.
func setUserNamespace(attr *syscall.SysProcAttr) {
	attr.Cloneflags |= syscall.CLONE_NEWUSER
	attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: os.Geteuid(), HostID: os.Geteuid(), Size: 1}}
	attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getegid(), HostID: os.Getegid(), Size: 1}}
	attr.GidMappingsEnableSetgroups = false
}
