package coordinator_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits/sandbox"
)

// TestMain makes the test binary the sandbox helper: process tools re-run
// it, and sandbox.Main takes over before any test runs.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}

func newSandbox(t *testing.T) *sandbox.Runner {
	t.Helper()
	r, err := sandbox.New()
	require.NoError(t, err)
	if !r.Capabilities().Has(sandbox.FeatureLandlock) {
		t.Log("no landlock here: every process tool run must be refused")
	}
	return r
}

// confinable reports whether this host can run a default (network none)
// process tool at all; where it cannot, tests assert the refusal.
func confinable(r *sandbox.Runner) bool {
	c := r.Capabilities()
	return c.Has(sandbox.FeatureLandlock) && (c.Has(sandbox.FeatureNetNamespace) || c.Has(sandbox.FeatureSeccomp)) &&
		c.Has(sandbox.FeatureCgroupPids)
}

// approveAll approves every call: shell.exec is critical, and the default
// policies require approval for critical tools.
type approveAll struct{}

func (approveAll) Approve(context.Context, engine.Call, engine.Decision) (bool, error) {
	return true, nil
}

func shellCall(command string) engine.Call {
	return engine.Call{
		Tool:      engine.Tool{Name: "shell.exec", Arguments: map[string]any{"command": command}},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}},
	}
}

// End to end: the default policies decide a shell.exec call, the
// coordinator runs it through the sandbox, and the outcome audit records
// the layers that confined it.
func TestExecuteShellThroughPoliciesAndSandbox(t *testing.T) {
	workspace := t.TempDir()
	ps, err := engine.LoadDefault()
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps, engine.WithWorkspace(workspace))
	require.NoError(t, err)
	rec := &recorder{}
	coord, err := coordinator.New(eng, coordinator.WithAuditor(rec), coordinator.WithApprover(approveAll{}))
	require.NoError(t, err)
	r := newSandbox(t)
	tool, err := coordinator.NewProcessTool(r, coordinator.ShellCommand(workspace), coordinator.ProcessLimits{})
	require.NoError(t, err)

	res, err := coord.Execute(context.Background(), shellCall("echo hello > out.txt && cat out.txt && cat /etc/hostname"), tool)
	if !confinable(r) {
		require.ErrorIs(t, err, coordinator.ErrSandboxViolation)
		return
	}
	require.NoError(t, err)
	require.Equal(t, "hello\n", string(res.Output[:6]), "output: %s", res.Output)
	require.Contains(t, string(res.Output), "Permission denied", "/etc/hostname is outside the read paths")
	require.NotZero(t, res.ExitCode)
	require.Contains(t, res.Layers, sandbox.LayerLandlockFS)
	require.Len(t, rec.outcomes, 1)
	require.Equal(t, res.Layers, rec.outcomes[0].Layers, "the audit outcome carries the layers")
}

// The decision's limits are clamped to the site maximums, and a limit the
// decision leaves unset takes the maximum.
func TestProcessToolClampsToSiteMaximums(t *testing.T) {
	t.Parallel()
	r := newSandbox(t)
	cases := map[string]struct {
		command string
		max     coordinator.ProcessLimits
		sb      engine.Sandbox
		killed  string
	}{
		"timeout above the maximum": {"sleep 30", coordinator.ProcessLimits{Timeout: 300 * time.Millisecond},
			engine.Sandbox{TimeoutMS: 60_000}, "timeout"},
		"output unset": {"yes", coordinator.ProcessLimits{MaxOutputBytes: 1024}, engine.Sandbox{}, "output"},
		"output on both streams": {"head -c 1000 /dev/zero; head -c 1000 /dev/zero >&2",
			coordinator.ProcessLimits{MaxOutputBytes: 1024}, engine.Sandbox{}, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tool, err := coordinator.NewProcessTool(r, coordinator.ShellCommand(t.TempDir()), tc.max)
			require.NoError(t, err)
			res, err := tool.Run(context.Background(), coordinator.Invocation{
				Call: shellCall(tc.command), Decision: engine.Decision{Allow: true, Sandbox: tc.sb}})
			if !confinable(r) {
				require.ErrorIs(t, err, coordinator.ErrSandboxViolation)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.killed, res.Killed, "output: %.200s", res.Output)
			if tc.max.MaxOutputBytes > 0 {
				require.LessOrEqual(t, int64(len(res.Output)), tc.max.MaxOutputBytes, "stdout and stderr capped together")
			}
		})
	}
}

// Only the variables the decision names reach the tool, with this
// process's values.
func TestProcessToolPassesOnlyGrantedEnv(t *testing.T) {
	t.Setenv("TOOLGATE_PT_GRANTED", "visible")
	t.Setenv("TOOLGATE_PT_SECRET", "hunter2")
	r := newSandbox(t)
	tool, err := coordinator.NewProcessTool(r, coordinator.ShellCommand(t.TempDir()), coordinator.ProcessLimits{})
	require.NoError(t, err)
	res, err := tool.Run(context.Background(), coordinator.Invocation{Call: shellCall("env"),
		Decision: engine.Decision{Allow: true, Sandbox: engine.Sandbox{Env: []string{"TOOLGATE_PT_GRANTED"}}}})
	if !confinable(r) {
		require.ErrorIs(t, err, coordinator.ErrSandboxViolation)
		return
	}
	require.NoError(t, err)
	require.Contains(t, string(res.Output), "TOOLGATE_PT_GRANTED=visible")
	require.NotContains(t, string(res.Output), "hunter2")
}

// A decision the sandbox cannot enforce does not run: sandbox_violation,
// with the sandbox's reason underneath.
func TestProcessToolRefusesUnenforceableDecision(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tool, err := coordinator.NewProcessTool(newSandbox(t), coordinator.ShellCommand(dir), coordinator.ProcessLimits{})
	require.NoError(t, err)
	_, err = tool.Run(context.Background(), coordinator.Invocation{Call: shellCall("touch ran"),
		Decision: engine.Decision{Allow: true, Sandbox: engine.Sandbox{
			Network: engine.NetworkAllowlist, AllowHosts: []string{"example.com"}, WritePaths: []string{dir}}}})
	require.ErrorIs(t, err, coordinator.ErrSandboxViolation)
	require.ErrorIs(t, err, sandbox.ErrUnavailable)
	var ce *coordinator.Error
	require.True(t, errors.As(err, &ce))
	require.True(t, strings.Contains(ce.Message, "allowlist"), ce.Message)
	_, statErr := os.Stat(dir + "/ran")
	require.True(t, os.IsNotExist(statErr), "the tool ran although refused")
}

func TestShellCommand(t *testing.T) {
	t.Parallel()
	cmd, err := coordinator.ShellCommand("/srv/work")(engine.Call{Tool: engine.Tool{Name: "shell.exec",
		Arguments: map[string]any{"command": "ls", "cwd": "sub"}}})
	require.NoError(t, err)
	require.Equal(t, coordinator.Command{Path: "/bin/bash", Args: []string{"-c", "ls"}, Dir: "/srv/work/sub"}, cmd)
	_, err = coordinator.ShellCommand("/srv/work")(engine.Call{Tool: engine.Tool{Name: "shell.exec",
		Arguments: map[string]any{"command": 42}}})
	require.Error(t, err)
}
