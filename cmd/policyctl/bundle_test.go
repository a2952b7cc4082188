package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/testpolicies"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeKeys writes an RSA key pair as PEM files.
func writeKeys(t *testing.T, dir, name string) (priv, pub string) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(t, err)
	priv, pub = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".pub")
	require.NoError(t, os.WriteFile(priv, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), 0o600))
	require.NoError(t, os.WriteFile(pub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600))
	return priv, pub
}

func TestBundleBuildSignVerify(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	priv, pub := writeKeys(t, tmp, "good")
	_, otherPub := writeKeys(t, tmp, "other")
	src := filepath.Join(tmp, "src")
	testpolicies.Write(t, src, testpolicies.Variant{Marker: "A"})
	signed := filepath.Join(tmp, "signed.tar.gz")

	code, out, errOut := runCLI(t, "bundle", "build", src, "-o", signed, "--revision", "r1", "--signing-key", priv, "--key-id", "k1")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "signed: true")
	code, out, errOut = runCLI(t, "bundle", "verify", signed, "--verification-key", pub, "--key-id", "k1")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "revision r1")
	code, _, errOut = runCLI(t, "bundle", "verify", signed, "--verification-key", otherPub, "--key-id", "k1")
	assert.Equal(t, exitPolicy, code, "signed by another key")
	assert.Contains(t, errOut, "signature")

	plain := filepath.Join(tmp, "plain.tar.gz")
	code, _, errOut = runCLI(t, "bundle", "build", src, "-o", plain)
	require.Equal(t, exitOK, code, errOut)
	code, _, _ = runCLI(t, "bundle", "verify", plain, "--verification-key", pub, "--key-id", "k1")
	assert.Equal(t, exitPolicy, code, "unsigned")
	code, _, errOut = runCLI(t, "bundle", "sign", plain, "--signing-key", priv, "--key-id", "k1")
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = runCLI(t, "bundle", "verify", plain, "--verification-key", pub, "--key-id", "k1")
	assert.Equal(t, exitOK, code, errOut)
}

func TestBundleVerifyRunsTests(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	testpolicies.Write(t, src, testpolicies.Variant{Marker: "A", FailingTest: true})
	b := filepath.Join(tmp, "b.tar.gz")
	code, _, errOut := runCLI(t, "bundle", "build", src, "-o", b)
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = runCLI(t, "bundle", "verify", b)
	assert.Equal(t, exitTestsFailed, code, errOut)
	assert.Contains(t, errOut, "test_that_fails")
	code, _, errOut = runCLI(t, "bundle", "verify", b, "--no-tests")
	assert.Equal(t, exitOK, code, errOut)
}

func TestBundleUsageErrors(t *testing.T) {
	t.Parallel()
	code, _, _ := runCLI(t, "bundle", "build", t.TempDir())
	assert.Equal(t, exitUsage, code, "-o is required")
	code, _, _ = runCLI(t, "bundle", "build", t.TempDir(), "-o", filepath.Join(t.TempDir(), "x.tar.gz"))
	assert.Equal(t, exitPolicy, code, "no modules")
	code, _, _ = runCLI(t, "bundle", "sign", filepath.Join(t.TempDir(), "missing.tar.gz"))
	assert.Equal(t, exitUsage, code, "--signing-key is required")
	code, _, _ = runCLI(t, "bundle", "verify", filepath.Join(t.TempDir(), "missing.tar.gz"))
	assert.Equal(t, exitUsage, code)
}
