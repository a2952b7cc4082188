//go:build linux

package sandbox

import (
	"errors"
	"slices"
	"syscall"
	"testing"
	"time"
)

// fullHost is this kind of machine: root, Landlock ABI 7, everything.
var fullHost = Capabilities{
	Root: true, LandlockABI: 7, Seccomp: true,
	PIDNamespace: true, NetNamespace: true, MountNamespace: true, IPCNamespace: true, UTSNamespace: true,
	UserNamespace: true, PrivateProc: true, CgroupMode: "hybrid", CgroupMemory: "/cg/memory", CgroupPids: "/cg/pids",
}

func planSpec() Spec {
	return Spec{Path: "/bin/true", Limits: Limits{Timeout: time.Second, MaxOutputBytes: 1,
		CPU: time.Second, MemoryBytes: 1 << 20, MaxProcs: 4}}
}

// The plan is a pure function of Spec and Capabilities: these cases pin the
// fail-closed and degrade rules for hosts this machine is not.
func TestPlanLayers(t *testing.T) {
	cases := []struct {
		name       string
		caps       Capabilities
		net        string
		want, lack []string
		warns      bool
	}{
		{name: "full host", caps: fullHost,
			want: []string{LayerPIDNamespace, LayerNetNamespace, LayerSeccompSockets, LayerLandlockFS,
				LayerLandlockTCP, LayerLandlockScope, LayerCgroupMemory, LayerCgroupPids, LayerRlimitCPU,
				LayerSeccomp, LayerCapsDropped, LayerProcfs},
			lack: []string{LayerUserNamespace, LayerRlimitAS, LayerTreeKillPgid}},
		{name: "unprivileged with userns", caps: with(fullHost, func(c *Capabilities) { c.Root = false }),
			want: []string{LayerUserNamespace, LayerCapsDropped}},
		{name: "no memory cgroup degrades to RLIMIT_AS", caps: with(fullHost, func(c *Capabilities) { c.CgroupMemory = "" }),
			want: []string{LayerRlimitAS}, lack: []string{LayerCgroupMemory}, warns: true},
		{name: "seccomp alone enforces network none", caps: with(fullHost, func(c *Capabilities) { c.NetNamespace = false }),
			want: []string{LayerSeccompSockets}, lack: []string{LayerNetNamespace}, warns: true},
		{name: "netns alone enforces network none", caps: with(fullHost, func(c *Capabilities) { c.Seccomp = false }),
			want: []string{LayerNetNamespace}, lack: []string{LayerSeccompSockets, LayerSeccomp}, warns: true},
		{name: "old landlock: no TCP rules, no scopes", caps: with(fullHost, func(c *Capabilities) { c.LandlockABI = 3 }),
			want: []string{LayerLandlockFS}, lack: []string{LayerLandlockTCP, LayerLandlockScope}},
		{name: "network any", caps: fullHost, net: NetworkAny,
			lack: []string{LayerNetNamespace, LayerSeccompSockets, LayerLandlockTCP}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := planSpec()
			s.Network = tc.net
			p, err := makePlan(s, tc.caps, s.Path)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range tc.want {
				if !slices.Contains(p.layers, l) {
					t.Errorf("layers %v lack %s", p.layers, l)
				}
			}
			for _, l := range tc.lack {
				if slices.Contains(p.layers, l) {
					t.Errorf("layers %v have %s", p.layers, l)
				}
			}
			if tc.warns != (len(p.warnings) > 0) {
				t.Errorf("warnings %v, want some: %v", p.warnings, tc.warns)
			}
		})
	}
}

func TestPlanRefusals(t *testing.T) {
	cases := map[string]Capabilities{
		"landlock ABI 2":          with(fullHost, func(c *Capabilities) { c.LandlockABI = 2 }),
		"no netns and no seccomp": with(fullHost, func(c *Capabilities) { c.NetNamespace, c.Seccomp = false, false }),
		"no pids cgroup":          with(fullHost, func(c *Capabilities) { c.CgroupPids = "" }),
	}
	for name, c := range cases {
		if _, err := makePlan(planSpec(), c, "/bin/true"); !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s: makePlan = %v, want ErrUnavailable", name, err)
		}
	}
}

// Without a PID namespace the timeout must still reach a setsid'd
// descendant: a pids cgroup is created just to list the tree, and with no
// cgroup either the plan says the kill is degraded.
func TestPlanTreeKillFallbacks(t *testing.T) {
	s := planSpec()
	s.Limits.MaxProcs, s.Limits.MemoryBytes = 0, 0
	noPidns := with(fullHost, func(c *Capabilities) { c.PIDNamespace = false })
	p, err := makePlan(s, noPidns, s.Path)
	if err != nil {
		t.Fatal(err)
	}
	if p.cgroupParents["pids"] == "" || p.cgroupLimits.Pids != 0 {
		t.Errorf("no tracking pids group: %v %+v", p.cgroupParents, p.cgroupLimits)
	}
	if p.attr.Cloneflags&syscall.CLONE_NEWPID != 0 || p.cfg.MountProc {
		t.Errorf("PID namespace or procfs planned without a PID namespace")
	}
	bare := with(noPidns, func(c *Capabilities) { c.CgroupPids, c.CgroupMemory = "", "" })
	if p, err = makePlan(s, bare, s.Path); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.layers, LayerTreeKillPgid) {
		t.Errorf("layers %v lack %s", p.layers, LayerTreeKillPgid)
	}
}

func with(c Capabilities, edit func(*Capabilities)) Capabilities {
	edit(&c)
	return c
}
