package sandbox_test

import (
	"bytes"
	"os"
	"strconv"
	"testing"

	"github.com/toolgate/toolgate/limits/sandbox"
)

// The tool's environment is exactly Spec.Env: a secret in the parent's
// environment is neither inherited nor readable through /proc (the
// sandbox's procfs shows its own processes only; without a PID namespace
// /proc is not readable at all).
func TestParentEnvironmentDoesNotLeak(t *testing.T) {
	t.Parallel()
	if os.Getenv(parentSecretName) != parentSecretValue {
		t.Fatal("the secret is not in the parent's environment: the test would prove nothing")
	}
	script := `env; for f in /proc/self/environ /proc/1/environ /proc/$HOSTPID/environ /proc/$HOSTPPID/environ; do
		cat "$f" 2>/dev/null; done; exit 0`
	for name, r := range treeRunners(t) {
		t.Run(name, func(t *testing.T) {
			s := sh(script)
			s.Env = append(s.Env, "VISIBLE=granted", "HOSTPID="+strconv.Itoa(os.Getpid()),
				"HOSTPPID="+strconv.Itoa(os.Getppid()))
			res := run(t, r, s)
			if res == nil {
				return
			}
			mustSucceed(t, res)
			if bytes.Contains(res.Stdout, []byte(parentSecretValue)) || bytes.Contains(res.Stdout, []byte(parentSecretName)) {
				t.Fatalf("parent secret visible to the tool:\n%s", res.Stdout)
			}
			if !bytes.Contains(res.Stdout, []byte("VISIBLE=granted")) {
				t.Fatalf("granted variable missing:\n%s", res.Stdout)
			}
			if !hasLayer(res, sandbox.LayerEnvAllowlist) {
				t.Errorf("layers %v lack %s", res.Layers, sandbox.LayerEnvAllowlist)
			}
		})
	}
}
