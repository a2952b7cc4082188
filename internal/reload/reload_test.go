package reload_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/reload"
	"github.com/toolgate/toolgate/internal/testpolicies"
)

func decideMarker(t *testing.T, eng *engine.Engine) string {
	t.Helper()
	d, err := eng.Decide(context.Background(), engine.Call{
		Tool:      engine.Tool{Name: testpolicies.ToolEcho, Arguments: map[string]any{}},
		Principal: engine.Principal{ID: "a", Roles: []string{"dev"}},
	})
	require.NoError(t, err)
	require.True(t, d.Allow)
	require.Len(t, d.Obligations, 1)
	return d.Obligations[0]
}

func start(t *testing.T, src reload.Source) (*reload.Reloader, *engine.Engine) {
	t.Helper()
	r := reload.New(src, reload.WithDebounce(20*time.Millisecond))
	ps, err := r.First(context.Background())
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps)
	require.NoError(t, err)
	return r, eng
}

// A directory set is reloaded when it changes, and a set that does not
// parse or fails its own tests is refused while the last good set serves.
func TestDirReloadGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
	r, eng := start(t, reload.NewDir(dir, time.Hour))
	ctx := context.Background()
	assert.Equal(t, "set:A", decideMarker(t, eng))
	require.NoError(t, r.Reload(ctx, eng), "unchanged: nothing to do")

	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "B"})
	require.NoError(t, r.Reload(ctx, eng))
	assert.Equal(t, "set:B", decideMarker(t, eng))
	good := eng.Revision()
	assert.Equal(t, good, r.Status().Revision)

	refusals := map[string]testpolicies.Variant{
		reload.StageCompile: {Marker: "C", Broken: true},
		reload.StageTests:   {Marker: "D", FailingTest: true},
	}
	for stage, v := range refusals {
		testpolicies.Write(t, dir, v)
		err := r.Reload(ctx, eng)
		require.Error(t, err)
		assert.Equal(t, stage, reload.StageOf(err), "%v", err)
		if stage == reload.StageTests {
			assert.Contains(t, err.Error(), dir+"/toolgate/failing_test.rego", "failures name the source files")
		}
		assert.Equal(t, "set:B", decideMarker(t, eng), "the last good set keeps serving")
		st := r.Status()
		assert.Equal(t, stage, st.LastStage)
		assert.NotEmpty(t, st.LastError)
		assert.Equal(t, good, st.Revision)
	}
}

func TestSetWithoutTestsIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
	require.NoError(t, os.Remove(filepath.Join(dir, "toolgate", "decision_test.rego")))
	_, err := reload.New(reload.NewDir(dir, time.Hour)).First(context.Background())
	require.Error(t, err)
	assert.Equal(t, reload.StageTests, reload.StageOf(err))
	_, err = reload.New(reload.NewDir(dir, time.Hour), reload.WithTests(false)).First(context.Background())
	require.NoError(t, err, "run_tests: false accepts it")
}

// The gate raises builtin errors as the engine does: a set whose tests
// pass only because a builtin error is swallowed is refused.
func TestSwallowedBuiltinErrorIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
	test := "package toolgate_test\n\ntest_swallowed if {\n\tnot to_number(\"x\")\n}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "toolgate", "swallowed_test.rego"), []byte(test), 0o600))
	_, err := reload.New(reload.NewDir(dir, time.Hour)).First(context.Background())
	require.Error(t, err)
	assert.Equal(t, reload.StageTests, reload.StageOf(err))
	assert.Contains(t, err.Error(), "to_number")
}

type keyPair struct {
	priv, pub []byte
	file      string
}

func newKey(t *testing.T) keyPair {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(t, err)
	kp := keyPair{
		priv: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}),
		pub:  pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}),
		file: filepath.Join(t.TempDir(), "bundle.pub"),
	}
	require.NoError(t, os.WriteFile(kp.file, kp.pub, 0o600))
	return kp
}

// bundleBytes builds a bundle of variant v, signed with key unless nil.
func bundleBytes(t *testing.T, v testpolicies.Variant, key *keyPair) []byte {
	t.Helper()
	dir := t.TempDir()
	testpolicies.Write(t, dir, v)
	b, err := reload.BuildBundle(dir, "rev-"+v.Marker)
	require.NoError(t, err)
	if key != nil {
		require.NoError(t, reload.SignBundle(b, key.priv, "RS256", "k1"))
	}
	var buf bytes.Buffer
	require.NoError(t, reload.WriteBundle(&buf, b))
	return buf.Bytes()
}

func TestSignedBundleFile(t *testing.T) {
	t.Parallel()
	good, other := newKey(t), newKey(t)
	vc, err := reload.Verification(config.Signing{Keys: []config.Key{{ID: "k1", Algorithm: "RS256", File: good.file}}})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "bundle.tar.gz")
	require.NoError(t, os.WriteFile(path, bundleBytes(t, testpolicies.Variant{Marker: "A"}, &good), 0o600))
	r, eng := start(t, reload.NewFile(path, time.Hour, vc))
	assert.Equal(t, "rev-A", eng.Revision())
	ctx := context.Background()

	cases := map[string]struct {
		data  []byte
		stage string
	}{
		"signed by another key": {bundleBytes(t, testpolicies.Variant{Marker: "X"}, &other), reload.StageSignature},
		"unsigned":              {bundleBytes(t, testpolicies.Variant{Marker: "Y"}, nil), reload.StageSignature},
		"failing tests":         {bundleBytes(t, testpolicies.Variant{Marker: "Z", FailingTest: true}, &good), reload.StageTests},
		"not a bundle":          {[]byte("not a tarball"), reload.StageCompile},
	}
	for name, tc := range cases {
		require.NoError(t, os.WriteFile(path, tc.data, 0o600))
		err := r.Reload(ctx, eng)
		require.Error(t, err, name)
		assert.Equal(t, tc.stage, reload.StageOf(err), "%s: %v", name, err)
		assert.Equal(t, "rev-A", eng.Revision(), name)
	}
	require.NoError(t, os.WriteFile(path, bundleBytes(t, testpolicies.Variant{Marker: "B"}, &good), 0o600))
	require.NoError(t, r.Reload(ctx, eng))
	assert.Equal(t, "rev-B", eng.Revision())
	assert.Equal(t, "set:B", decideMarker(t, eng))
}

// The HTTP source sends If-None-Match and does nothing on 304.
func TestHTTPBundleETag(t *testing.T) {
	t.Parallel()
	var body atomic.Value
	body.Store(bundleBytes(t, testpolicies.Variant{Marker: "A"}, nil))
	var full, notModified atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := body.Load().([]byte)
		sum := sha256.Sum256(b)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		if r.Header.Get("If-None-Match") == etag {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", etag)
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	r, eng := start(t, reload.NewHTTP(srv.URL, time.Hour, nil))
	ctx := context.Background()
	require.NoError(t, r.Reload(ctx, eng))
	assert.Equal(t, int64(1), full.Load())
	assert.Equal(t, int64(1), notModified.Load())
	body.Store(bundleBytes(t, testpolicies.Variant{Marker: "BB"}, nil))
	require.NoError(t, r.Reload(ctx, eng))
	assert.Equal(t, "set:BB", decideMarker(t, eng))
	assert.Equal(t, int64(2), full.Load())
}

// Run picks up a file change through fsnotify alone (polling is an hour).
func TestRunWatchesDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
	var loaded atomic.Int64
	src := reload.NewDir(dir, time.Hour)
	r := reload.New(src, reload.WithDebounce(20*time.Millisecond),
		reload.WithHooks(reload.Hooks{Loaded: func(string) { loaded.Add(1) }}))
	ps, err := r.First(context.Background())
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, eng) }()
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "B"})
	require.Eventually(t, func() bool { return decideMarker(t, eng) == "set:B" }, 20*time.Second, 50*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	assert.GreaterOrEqual(t, loaded.Load(), int64(1))
}

// A bundle whose module was changed after signing is refused at the
// signature stage, although the changed set parses and passes its tests
// (the unsigned control is loaded by a reloader without keys).
func TestBundleTamperedAfterSigningIsRefused(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	vc, err := reload.Verification(config.Signing{Keys: []config.Key{{ID: "k1", Algorithm: "RS256", File: key.file}}})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "bundle.tar.gz")
	require.NoError(t, os.WriteFile(path, bundleBytes(t, testpolicies.Variant{Marker: "A"}, &key), 0o600))
	r, eng := start(t, reload.NewFile(path, time.Hour, vc))
	ctx := context.Background()

	tampered := testpolicies.TamperBundle(t, bundleBytes(t, testpolicies.Variant{Marker: "B"}, &key), true, testpolicies.Disarm)
	_, err = reload.ReadBundle(tampered, vc)
	require.Error(t, err)
	assert.Equal(t, reload.StageSignature, reload.StageOf(err), "ReadBundle: %v", err)

	require.NoError(t, os.WriteFile(path, tampered, 0o600))
	err = r.Reload(ctx, eng)
	require.Error(t, err, "a tampered bundle must be refused")
	assert.Equal(t, reload.StageSignature, reload.StageOf(err), "%v", err)
	assert.Equal(t, "rev-A", eng.Revision(), "the last good set keeps serving")
	assert.Equal(t, reload.StageSignature, r.Status().LastStage)
	forbidden, err := eng.Decide(ctx, engine.Call{
		Tool:      engine.Tool{Name: testpolicies.ToolEcho, Arguments: map[string]any{"text": "forbidden"}},
		Principal: engine.Principal{ID: "a", Roles: []string{"dev"}},
	})
	require.NoError(t, err)
	assert.False(t, forbidden.Allow, "the signed rule still denies")

	// Control: the same edit on an unsigned bundle is a set a reloader
	// without keys loads, so only the signature refused it above.
	plainPath := filepath.Join(t.TempDir(), "plain.tar.gz")
	require.NoError(t, os.WriteFile(plainPath, bundleBytes(t, testpolicies.Variant{Marker: "A"}, nil), 0o600))
	pr, peng := start(t, reload.NewFile(plainPath, time.Hour, nil))
	require.NoError(t, os.WriteFile(plainPath, testpolicies.TamperBundle(t, bundleBytes(t, testpolicies.Variant{Marker: "B"}, &key), true, testpolicies.Disarm), 0o600))
	require.NoError(t, pr.Reload(ctx, peng))
	assert.Equal(t, "rev-B", peng.Revision())
}

// countingLoader records the Load calls a reload makes.
type countingLoader struct {
	eng   *engine.Engine
	calls atomic.Int64
}

func (l *countingLoader) Load(ctx context.Context, ps engine.PolicySet) error {
	l.calls.Add(1)
	return l.eng.Load(ctx, ps)
}

// A set that parses and passes its own tests but does not compile under
// the engine's rules (strict mode; capabilities without http.send) gets as
// far as Load, is refused at the compile stage, and the last good set
// keeps serving.
func TestCompileStageRefusal(t *testing.T) {
	t.Parallel()
	extras := map[string]string{
		// Strict mode: an unused import is an error; opa test (and so the
		// gate's tests) accept it.
		"unused import": "package toolgate.extra\n\nimport data.toolgate.tools\n\nanswer := 42\n",
		// http.send is removed from the engine's capabilities, not opa
		// test's: the function is undefined for the engine only.
		"denied builtin": "package toolgate.extra\n\nfetch(u) := http.send({\"method\": \"GET\", \"url\": u})\n",
	}
	want := map[string]string{"unused import": "unused", "denied builtin": "http.send"}
	for name, src := range extras {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
			r, eng := start(t, reload.NewDir(dir, time.Hour))
			good := eng.Revision()
			ctx := context.Background()
			l := &countingLoader{eng: eng}

			testpolicies.Write(t, dir, testpolicies.Variant{Marker: "B"})
			require.NoError(t, os.WriteFile(filepath.Join(dir, "toolgate", "extra.rego"), []byte(src), 0o600))
			err := r.Reload(ctx, l)
			require.Error(t, err, "a set that does not compile must be refused")
			assert.Equal(t, int64(1), l.calls.Load(), "the set passed fetch and tests and reached Load")
			assert.Equal(t, reload.StageCompile, reload.StageOf(err), "%v", err)
			assert.Contains(t, err.Error(), want[name])
			assert.Equal(t, "set:A", decideMarker(t, eng), "the last good set keeps serving")
			assert.Equal(t, good, eng.Revision())
			st := r.Status()
			assert.Equal(t, reload.StageCompile, st.LastStage)
			assert.Equal(t, good, st.Revision)

			// The same set without the extra module is taken.
			require.NoError(t, os.Remove(filepath.Join(dir, "toolgate", "extra.rego")))
			require.NoError(t, r.Reload(ctx, l))
			assert.Equal(t, "set:B", decideMarker(t, eng))
		})
	}
}

// endingSource is a source whose watcher ends at once with err.
type endingSource struct{ err error }

func (endingSource) Fetch(context.Context) (*reload.Candidate, error) { return nil, nil }
func (s endingSource) Watch(context.Context, func()) error            { return s.err }
func (endingSource) String() string                                   { return "ending" }

// A watcher that stops while ctx is live is an error from Run, even when
// it returned none; one that stops because ctx ended is a clean shutdown.
func TestRunReportsAWatcherThatStops(t *testing.T) {
	t.Parallel()
	for name, werr := range map[string]error{"nil": nil, "failure": errors.New("inotify gone")} {
		err := reload.New(endingSource{err: werr}).Run(context.Background(), nil)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "watch ending", name)
		if werr != nil {
			assert.ErrorIs(t, err, werr)
		} else {
			assert.Contains(t, err.Error(), "the watcher stopped", "a watcher that ends with no error is named as stopped")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 { // both select cases are ready: either order is shutdown
		assert.NoError(t, reload.New(endingSource{err: errors.New("closing")}).Run(ctx, nil))
	}
}
