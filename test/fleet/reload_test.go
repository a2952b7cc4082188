package fleet

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/reload"
	"github.com/toolgate/toolgate/internal/testpolicies"
)

const (
	loadClients     = 4
	maxLoadRequests = 20000 // bound even if a wait below misbehaves
	reloadWait      = 30 * time.Second
)

// load runs bounded concurrent /v1/check traffic and checks every answer:
// 200, decided by an accepted set, and consistent: one revision always
// carries the same marker, so no call saw a half-loaded set.
type load struct {
	url      string
	accepted map[string]bool // markers the run may see
	mu       sync.Mutex
	byRev    map[string]string
	seen     map[string]int
	failures []string
	total    atomic.Int64
	stop     chan struct{}
	wg       sync.WaitGroup
}

func startLoad(url string, accepted ...string) *load {
	l := &load{url: url, accepted: map[string]bool{}, byRev: map[string]string{}, seen: map[string]int{}, stop: make(chan struct{})}
	for _, m := range accepted {
		l.accepted[testpolicies.Obligation(m)] = true
	}
	body := call(testpolicies.ToolEcho, "alice", "dev")
	for i := 0; i < loadClients; i++ {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for l.total.Add(1) <= maxLoadRequests {
				select {
				case <-l.stop:
					return
				default:
				}
				res, err := post(l.url+"/v1/check", body)
				l.record(res, err)
			}
		}()
	}
	return l
}

func (l *load) record(res result, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil || res.status != http.StatusOK {
		l.failures = append(l.failures, fmt.Sprintf("%v %d %v", err, res.status, res.body))
		return
	}
	d := res.decision()
	rev, _ := d["revision"].(string)
	obl, _ := d["obligations"].([]any)
	if len(obl) != 1 {
		l.failures = append(l.failures, fmt.Sprintf("obligations %v", obl))
		return
	}
	marker := obl[0].(string)
	if prev, ok := l.byRev[rev]; ok && prev != marker {
		l.failures = append(l.failures, fmt.Sprintf("revision %s answered %s and %s", rev, prev, marker))
	}
	l.byRev[rev] = marker
	if !l.accepted[marker] {
		l.failures = append(l.failures, "decided by a refused set: "+marker)
	}
	l.seen[marker]++
}

func (l *load) saw(marker string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen[testpolicies.Obligation(marker)] > 0
}

func (l *load) finish(t *testing.T) {
	t.Helper()
	close(l.stop)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	assert.Empty(t, l.failures, "failed or inconsistent requests")
	t.Logf("%d requests, markers %v", min(l.total.Load(), maxLoadRequests), l.seen)
}

// waitRefused waits until /readyz reports a refused reload at stage.
func waitRefused(t *testing.T, r *replica, stage string) {
	t.Helper()
	require.Eventually(t, func() bool {
		res, err := get(r.url + "/readyz")
		if err != nil || res.status != http.StatusOK {
			return false
		}
		p, _ := res.body["checks"].(map[string]any)["policies"].(map[string]any)
		detail, _ := p["detail"].(string)
		return strings.Contains(detail, "("+stage+")")
	}, reloadWait, 50*time.Millisecond, "reload refused at %s", stage)
}

// A watched directory is swapped good → broken → failing tests under load.
func TestDirectoryReloadUnderLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
	r := startServe(t, fmt.Sprintf("policies: {dir: %q, watch: true, poll_interval: 1h}\nlog: {level: error}\n", dir))
	l := startLoad(r.url, "A", "B")

	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "B"})
	require.Eventually(t, func() bool { return l.saw("B") }, reloadWait, 20*time.Millisecond)
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "C", Broken: true})
	waitRefused(t, r, reload.StageCompile)
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "D", FailingTest: true})
	waitRefused(t, r, reload.StageTests)
	l.finish(t)

	m := metrics(t, r)
	assert.Equal(t, 1, counter(t, m, `toolgate_policy_reloads_total{result="ok",stage=""}`))
	assert.GreaterOrEqual(t, counter(t, m, `toolgate_policy_reloads_total{result="failed",stage="compile"}`), 1)
	assert.GreaterOrEqual(t, counter(t, m, `toolgate_policy_reloads_total{result="failed",stage="tests"}`), 1)
}

// A signed bundle polled over HTTP is swapped under load: a good signed
// set is taken, one signed by an unknown key and an unsigned one are not.
func TestSignedBundleReloadUnderLoad(t *testing.T) {
	t.Parallel()
	good, pubFile := rsaKey(t)
	evil, _ := rsaKey(t)
	var current atomic.Value
	current.Store(signedBundle(t, "A", good))
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
	l := startLoad(r.url, "A", "B")

	current.Store(signedBundle(t, "B", good))
	require.Eventually(t, func() bool { return l.saw("B") }, reloadWait, 20*time.Millisecond)
	current.Store(signedBundle(t, "EVIL", evil))
	waitRefused(t, r, reload.StageSignature)
	current.Store(signedBundle(t, "UNSIGNED", nil))
	require.Eventually(t, func() bool {
		return counter(t, metrics(t, r), `toolgate_policy_reloads_total{result="failed",stage="signature"}`) >= 2
	}, reloadWait, 50*time.Millisecond)
	l.finish(t)

	// Exactly one reload (A → B) was taken: neither refused bundle was.
	m := metrics(t, r)
	assert.Equal(t, 1, counter(t, m, `toolgate_policy_reloads_total{result="ok",stage=""}`))
	assert.Equal(t, 2, counter(t, m, `toolgate_policy_reloads_total{result="failed",stage="signature"}`))
}

func rsaKey(t *testing.T) (priv []byte, pubFile string) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(t, err)
	pubFile = filepath.Join(t.TempDir(), "bundle.pub")
	require.NoError(t, os.WriteFile(pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600))
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), pubFile
}

// signedBundle builds the test policies with marker as a bundle, signed
// with key unless it is nil.
func signedBundle(t *testing.T, marker string, key []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: marker})
	b, err := reload.BuildBundle(dir, "rev-"+marker)
	require.NoError(t, err)
	if key != nil {
		require.NoError(t, reload.SignBundle(b, key, "RS256", "k1"))
	}
	var buf bytes.Buffer
	require.NoError(t, reload.WriteBundle(&buf, b))
	return buf.Bytes()
}
