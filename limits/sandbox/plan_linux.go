//go:build linux

package sandbox

import (
	"fmt"
	"slices"
	"syscall"
	"time"

	"github.com/toolgate/toolgate/limits/sandbox/internal/cgroup"
	"github.com/toolgate/toolgate/limits/sandbox/internal/helper"
)

// plan is how one Spec will be enforced on this host.
type plan struct {
	cfg  helper.Config
	attr syscall.SysProcAttr
	// cgroupParents are the controllers to create a group in, with limits.
	cgroupParents map[string]string
	cgroupLimits  cgroup.Limits
	pidns         bool // killing the helper kills the whole tree
	layers        []string
	warnings      []string
}

// makePlan maps the Spec onto the host's capabilities. A restriction the
// Spec asks for that no available mechanism enforces is an error wrapping
// ErrUnavailable; missing hardening becomes a warning.
func makePlan(s Spec, c Capabilities, exe string) (*plan, error) {
	p := &plan{
		cfg:           helper.Config{Path: exe, Argv: append([]string{s.Path}, s.Args...), Env: s.Env},
		cgroupParents: map[string]string{},
	}
	p.attr.Setpgid = true
	p.attr.Pdeathsig = syscall.SIGKILL
	p.layers = append(p.layers, LayerTimeout, LayerOutputCap, LayerEnvAllowlist, LayerNoNewPrivs)
	p.planNamespaces(s, c)
	steps := []func(Spec, Capabilities) error{p.planNetwork, p.planPaths, p.planMemory, p.planProcs}
	for _, step := range steps {
		if err := step(s, c); err != nil {
			return nil, err
		}
	}
	p.planRlimits(s.Limits)
	p.planHardening(c)
	p.planTreeKill(c)
	return p, nil
}

// planNamespaces puts the helper in every namespace the host offers (the
// network one is planNetwork's): isolation nobody asked for by name, so a
// missing one is a warning.
func (p *plan) planNamespaces(s Spec, c Capabilities) {
	add := func(ok bool, flag uintptr, layer string) {
		if !ok {
			p.warnings = append(p.warnings, layer+" unavailable")
			return
		}
		p.attr.Cloneflags |= flag
		p.layers = append(p.layers, layer)
	}
	add(c.PIDNamespace, syscall.CLONE_NEWPID, LayerPIDNamespace)
	p.pidns = c.PIDNamespace
	add(c.MountNamespace, syscall.CLONE_NEWNS, LayerMountNamespace)
	add(c.IPCNamespace, syscall.CLONE_NEWIPC, LayerIPCNamespace)
	add(c.UTSNamespace, syscall.CLONE_NEWUTS, LayerUTSNamespace)
	// A private procfs needs both namespaces (the mount hides the host's
	// /proc, the PID namespace makes it show only the sandbox) and a kernel
	// that allows the mount there.
	p.cfg.MountProc = c.PIDNamespace && c.MountNamespace && c.PrivateProc
	if p.cfg.MountProc {
		p.layers = append(p.layers, LayerProcfs)
	}
}

// planNetwork: "none" is enforced by a network namespace, by seccomp
// refusing IP sockets, or both; Landlock's TCP rules add a third layer.
// With neither of the first two the Spec is refused.
func (p *plan) planNetwork(s Spec, c Capabilities) error {
	if s.Network == NetworkAny {
		return nil
	}
	if !c.NetNamespace && !c.Seccomp {
		return fmt.Errorf("%w: network %q needs a network namespace or seccomp; this host has neither",
			ErrUnavailable, NetworkNone)
	}
	if c.NetNamespace {
		p.attr.Cloneflags |= syscall.CLONE_NEWNET
		p.layers = append(p.layers, LayerNetNamespace)
	} else {
		p.warnings = append(p.warnings, "no network namespace: network none enforced by seccomp alone")
	}
	if c.Seccomp {
		p.cfg.Seccomp = &helper.Seccomp{DenySockets: true}
		p.layers = append(p.layers, LayerSeccompSockets)
	}
	return nil
}

// planPaths confines the file system with Landlock, always: a Spec with no
// paths may read the system paths and nothing else.
func (p *plan) planPaths(s Spec, c Capabilities) error {
	if !c.Has(FeatureLandlock) {
		return fmt.Errorf("%w: read/write paths need landlock ABI >= %d; this kernel has %d",
			ErrUnavailable, MinLandlockABI, c.LandlockABI)
	}
	host := hostPaths()
	// Fresh slices: host's are shared by every run.
	read, _ := existing([]string{p.cfg.Path}, false, nil)
	read = slices.Concat(read, host.read)
	if s.Network == NetworkAny {
		read = append(read, host.network...)
	}
	if p.cfg.MountProc {
		read = append(read, procPath)
	}
	user, err := existing(s.ReadPaths, true, &p.warnings)
	if err != nil {
		return err
	}
	write, err := existing(s.WritePaths, true, &p.warnings)
	if err != nil {
		return err
	}
	ll := &helper.Landlock{ABI: c.LandlockABI, ReadPaths: append(read, user...), WritePaths: slices.Concat(host.write, write)}
	p.layers = append(p.layers, LayerLandlockFS)
	if s.Network != NetworkAny && c.LandlockABI >= landlockABITCP {
		ll.DenyTCP = true
		p.layers = append(p.layers, LayerLandlockTCP)
	}
	if c.LandlockABI >= landlockABIScope {
		ll.Scope = true
		p.layers = append(p.layers, LayerLandlockScope)
	}
	p.cfg.Landlock = ll
	return nil
}

// planMemory: a memory cgroup bounds the whole tree; without one the only
// fallback is a per-process address-space limit, which is weaker (and
// breaks runtimes that reserve address space), hence "degraded".
func (p *plan) planMemory(s Spec, c Capabilities) error {
	if s.Limits.MemoryBytes == 0 {
		return nil
	}
	if c.Has(FeatureCgroupMemory) {
		p.cgroupParents[cgroup.Memory] = c.CgroupMemory
		p.cgroupLimits.MemoryBytes = s.Limits.MemoryBytes
		p.layers = append(p.layers, LayerCgroupMemory)
		return nil
	}
	p.cfg.Rlimits.AddressSpace = uint64(s.Limits.MemoryBytes)
	p.layers = append(p.layers, LayerRlimitAS)
	p.warnings = append(p.warnings, "no memory cgroup: memory bounded per process by RLIMIT_AS")
	return nil
}

// planProcs: only the pids controller bounds a tree's processes
// (RLIMIT_NPROC counts per user, and everything runs as one user), so
// without it the Spec is refused.
func (p *plan) planProcs(s Spec, c Capabilities) error {
	if s.Limits.MaxProcs == 0 {
		return nil
	}
	if !c.Has(FeatureCgroupPids) {
		return fmt.Errorf("%w: max_procs needs the cgroup v1 pids controller; this host has none usable",
			ErrUnavailable)
	}
	p.cgroupParents[cgroup.Pids] = c.CgroupPids
	p.cgroupLimits.Pids = s.Limits.MaxProcs
	p.layers = append(p.layers, LayerCgroupPids)
	return nil
}

func (p *plan) planRlimits(l Limits) {
	if l.CPU > 0 {
		p.cfg.Rlimits.CPUSeconds = uint64((l.CPU + time.Second - 1) / time.Second)
		p.layers = append(p.layers, LayerRlimitCPU)
	}
	if l.MaxFileBytes > 0 {
		p.cfg.Rlimits.FileBytes = uint64(l.MaxFileBytes)
		p.layers = append(p.layers, LayerRlimitFsize)
	}
	if l.MaxOpenFiles > 0 {
		p.cfg.Rlimits.OpenFiles = uint64(l.MaxOpenFiles)
		p.layers = append(p.layers, LayerRlimitNofile)
	}
}

// planHardening adds what every run gets where the host allows: the
// syscall deny list, and no capabilities for a tool started as root (or
// as root of its user namespace).
func (p *plan) planHardening(c Capabilities) {
	if c.Seccomp {
		if p.cfg.Seccomp == nil {
			p.cfg.Seccomp = &helper.Seccomp{}
		}
		p.layers = append(p.layers, LayerSeccomp)
	} else {
		p.warnings = append(p.warnings, "seccomp unavailable: dangerous syscalls not filtered")
	}
	if !c.Root && p.attr.Cloneflags != 0 {
		setUserNamespace(&p.attr)
		p.layers = append(p.layers, LayerUserNamespace)
	}
	if c.Root || p.attr.Cloneflags&syscall.CLONE_NEWUSER != 0 {
		p.cfg.DropCaps = true
		p.layers = append(p.layers, LayerCapsDropped)
	}
}

// planTreeKill makes sure the timeout reaches every descendant. A PID
// namespace does it by itself; otherwise a cgroup lists the tree (a pids
// group without limit is created for that); with neither, only the process
// group is killed, which a setsid escapes.
func (p *plan) planTreeKill(c Capabilities) {
	if p.pidns {
		return
	}
	if len(p.cgroupParents) == 0 && c.Has(FeatureCgroupPids) {
		p.cgroupParents[cgroup.Pids] = c.CgroupPids
	}
	if len(p.cgroupParents) == 0 {
		p.layers = append(p.layers, LayerTreeKillPgid)
		p.warnings = append(p.warnings, "no PID namespace or cgroup: timeout kills the process group only")
	}
}

// runName names one run's cgroups uniquely on this host.
func runName() string { return cgroup.Name(runs.Add(1)) }
