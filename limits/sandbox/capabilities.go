package sandbox

import (
	"fmt"
	"strings"
)

// MinLandlockABI is the oldest Landlock ABI the sandbox confines paths
// with: ABI 3 added truncate(2), without which a tool could empty any file
// it may only read.
const MinLandlockABI = 3

// Landlock ABI versions adding features the sandbox uses when present.
const (
	landlockABITCP   = 4
	landlockABIScope = 6
)

// Feature is a host mechanism the sandbox may use.
type Feature string

// Features, as probed and as passed to WithoutFeatures.
const (
	FeatureLandlock       Feature = "landlock"
	FeatureSeccomp        Feature = "seccomp"
	FeaturePIDNamespace   Feature = "pid_namespace"
	FeatureNetNamespace   Feature = "net_namespace"
	FeatureMountNamespace Feature = "mount_namespace"
	FeatureIPCNamespace   Feature = "ipc_namespace"
	FeatureUTSNamespace   Feature = "uts_namespace"
	FeatureUserNamespace  Feature = "user_namespace"
	FeatureCgroupMemory   Feature = "cgroup_memory"
	FeatureCgroupPids     Feature = "cgroup_pids"
)

// Capabilities is what the probe found on this host.
type Capabilities struct {
	Root        bool // effective uid 0: namespaces without a user namespace
	LandlockABI int  // 0 when Landlock is unavailable
	Seccomp     bool
	// Namespaces that a helper could actually be started in.
	PIDNamespace, NetNamespace, MountNamespace bool
	IPCNamespace, UTSNamespace                 bool
	// UserNamespace: an unprivileged parent can get the others through one.
	UserNamespace bool
	// PrivateProc: a fresh procfs could be mounted in new PID and mount
	// namespaces (containers with masked /proc paths refuse it).
	PrivateProc bool
	CgroupMode  string // none, v1, v2 or hybrid
	// CgroupMemory and CgroupPids are the v1 directories per-run groups are
	// created in; empty when that controller is not usable.
	CgroupMemory, CgroupPids string
	// Notes explain missing features.
	Notes []string
}

// flag returns the field recording feature f when that field is a plain
// yes/no: every namespace and seccomp. It is nil for the features recorded
// otherwise (Landlock's ABI, the cgroup directories) and for unknown ones.
func (c *Capabilities) flag(f Feature) *bool {
	switch f {
	case FeatureSeccomp:
		return &c.Seccomp
	case FeaturePIDNamespace:
		return &c.PIDNamespace
	case FeatureNetNamespace:
		return &c.NetNamespace
	case FeatureMountNamespace:
		return &c.MountNamespace
	case FeatureIPCNamespace:
		return &c.IPCNamespace
	case FeatureUTSNamespace:
		return &c.UTSNamespace
	case FeatureUserNamespace:
		return &c.UserNamespace
	}
	return nil
}

// Has reports whether feature f is available.
func (c Capabilities) Has(f Feature) bool {
	switch f {
	case FeatureLandlock:
		return c.LandlockABI >= MinLandlockABI
	case FeatureCgroupMemory:
		return c.CgroupMemory != ""
	case FeatureCgroupPids:
		return c.CgroupPids != ""
	}
	if b := c.flag(f); b != nil {
		return *b
	}
	return false
}

// without returns c with the features fs turned off.
func (c Capabilities) without(fs []Feature) Capabilities {
	for _, f := range fs {
		switch f {
		case FeatureLandlock:
			c.LandlockABI = 0
		case FeatureCgroupMemory:
			c.CgroupMemory = ""
		case FeatureCgroupPids:
			c.CgroupPids = ""
		case FeaturePIDNamespace, FeatureMountNamespace:
			c.PrivateProc = false // a private procfs needs both
		}
		if b := c.flag(f); b != nil {
			*b = false
		}
		c.Notes = append(c.Notes, fmt.Sprintf("%s disabled by configuration", f))
	}
	if !c.Root && !c.UserNamespace {
		// Unprivileged, every namespace comes through a user namespace.
		c.PIDNamespace, c.NetNamespace, c.MountNamespace = false, false, false
		c.IPCNamespace, c.UTSNamespace, c.PrivateProc = false, false, false
	}
	return c
}

// String renders the probe as "key: value" lines, the output of
// `policyctl sandbox probe`.
func (c Capabilities) String() string {
	var b strings.Builder
	yes := func(v bool) string {
		if v {
			return "yes"
		}
		return "no"
	}
	orNone := func(s string) string {
		if s == "" {
			return "unavailable"
		}
		return s
	}
	fmt.Fprintf(&b, "root:             %s\n", yes(c.Root))
	fmt.Fprintf(&b, "landlock abi:     %d (paths need >= %d)\n", c.LandlockABI, MinLandlockABI)
	fmt.Fprintf(&b, "seccomp:          %s\n", yes(c.Seccomp))
	fmt.Fprintf(&b, "namespaces:       pid=%s net=%s mnt=%s ipc=%s uts=%s\n", yes(c.PIDNamespace),
		yes(c.NetNamespace), yes(c.MountNamespace), yes(c.IPCNamespace), yes(c.UTSNamespace))
	fmt.Fprintf(&b, "user namespace:   %s\n", yes(c.UserNamespace))
	fmt.Fprintf(&b, "private procfs:   %s\n", yes(c.PrivateProc))
	fmt.Fprintf(&b, "cgroup mode:      %s\n", c.CgroupMode)
	fmt.Fprintf(&b, "cgroup memory:    %s\n", orNone(c.CgroupMemory))
	fmt.Fprintf(&b, "cgroup pids:      %s\n", orNone(c.CgroupPids))
	for _, n := range c.Notes {
		fmt.Fprintf(&b, "note:             %s\n", n)
	}
	return b.String()
}
