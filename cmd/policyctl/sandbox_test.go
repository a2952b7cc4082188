package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSandboxProbe(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := run([]string{"sandbox", "probe"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, line := range []string{"landlock abi:", "seccomp:", "namespaces:", "user namespace:", "cgroup mode:"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("probe output lacks %q:\n%s", line, out.String())
		}
	}
}
