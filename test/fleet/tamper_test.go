package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/reload"
	"github.com/toolgate/toolgate/internal/testpolicies"
)

// runPolicyctl runs the built binary and returns its exit status and stderr.
func runPolicyctl(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), errOut.String()
	}
	require.NoError(t, err)
	return 0, errOut.String()
}

// A signed bundle whose .rego was changed after signing (the original
// .signatures.json kept) is refused by `policyctl bundle verify` and by a
// serving replica's reload, which keeps the last good set.
func TestTamperedSignedBundleIsRefused(t *testing.T) {
	t.Parallel()
	key, pubFile := rsaKey(t)
	tmp := t.TempDir()
	goodB := signedBundle(t, "B", key)
	tampered := testpolicies.TamperBundle(t, goodB, true, testpolicies.Disarm)
	// Control: the same edit without a signature check is a set serve
	// would load — the signature is the only thing that refuses it.
	unsignedTampered := testpolicies.TamperBundle(t, signedBundle(t, "B", nil), false, testpolicies.Disarm)
	files := map[string][]byte{"good.tar.gz": goodB, "tampered.tar.gz": tampered, "unsigned.tar.gz": unsignedTampered}
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(tmp, name), data, 0o600))
	}
	verify := func(name string, withKey bool) (int, string) {
		args := []string{"bundle", "verify", filepath.Join(tmp, name)}
		if withKey {
			args = append(args, "--verification-key", pubFile, "--key-id", "k1")
		}
		return runPolicyctl(t, args...)
	}
	code, errOut := verify("good.tar.gz", true)
	require.Equal(t, 0, code, "the untampered bundle verifies: %s", errOut)
	code, errOut = verify("unsigned.tar.gz", false)
	require.Equal(t, 0, code, "the tampered set is otherwise loadable: %s", errOut)
	code, errOut = verify("tampered.tar.gz", true)
	assert.Equal(t, 3, code, "policyctl bundle verify must refuse the tampered bundle: %s", errOut)
	assert.Contains(t, errOut, "signature", "the refusal names the signature")

	// The reload path: a replica serving the signed A takes the signed B
	// and refuses the tampered B.
	var current atomic.Value
	current.Store(signedBundle(t, "A", key))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(current.Load().([]byte))
	}))
	defer srv.Close()
	r := startServe(t, fmt.Sprintf(`
policies:
  url: %q
  watch: true
  poll_interval: 100ms
  signing: {keys: [{id: k1, algorithm: RS256, file: %q}]}
log: {level: error}
`, srv.URL, pubFile))
	current.Store(goodB)
	require.Eventually(t, func() bool {
		res, err := post(r.url+"/v1/check", call(testpolicies.ToolEcho, "alice", "dev"))
		return err == nil && res.decision()["revision"] == "rev-B"
	}, reloadWait, 50*time.Millisecond, "the signed B is loaded")
	forbidden := `{"tool": {"name": "echo", "arguments": {"text": "forbidden"}}, "principal": {"id": "alice", "roles": ["dev"]}}`
	res, err := post(r.url+"/v1/check", forbidden)
	require.NoError(t, err)
	require.Equal(t, http.StatusForbidden, res.status, "the signed set denies the forbidden text: %v", res.body)

	current.Store(tampered)
	waitRefused(t, r, reload.StageSignature)
	res, err = post(r.url+"/v1/check", forbidden)
	require.NoError(t, err)
	assert.Equal(t, http.StatusForbidden, res.status, "the tampered rule must not be serving: %v", res.body)
	m := metrics(t, r)
	assert.Equal(t, 1, counter(t, m, `toolgate_policy_reloads_total{result="ok",stage=""}`), "only A → B was taken")
	assert.Equal(t, 1, counter(t, m, `toolgate_policy_reloads_total{result="failed",stage="signature"}`))
}
