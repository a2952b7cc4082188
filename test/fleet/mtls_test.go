package fleet

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/testpolicies"
)

type issued struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	der  []byte
}

func issue(t *testing.T, tmpl *x509.Certificate, parent *issued) issued {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	signer, parentCert := key, tmpl
	if parent != nil {
		signer, parentCert = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, signer)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return issued{cert: cert, key: key, der: der}
}

func writePEM(t *testing.T, path, typ string, der []byte) string {
	t.Helper()
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
	return path
}

func (i issued) tlsCert(t *testing.T) tls.Certificate {
	t.Helper()
	kd, err := x509.MarshalECPrivateKey(i.key)
	require.NoError(t, err)
	c, err := tls.X509KeyPair(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: i.der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}))
	require.NoError(t, err)
	return c
}

// With only mTLS configured, the client certificate is the credential: its
// CN and OU are the principal; no certificate, no connection.
func TestMutualTLS(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	ca := issue(t, &x509.Certificate{Subject: pkix.Name{CommonName: "test CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}, nil)
	server := issue(t, &x509.Certificate{Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, &ca)
	alice := issue(t, &x509.Certificate{Subject: pkix.Name{CommonName: "alice", OrganizationalUnit: []string{"dev"}},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, &ca)
	skd, err := x509.MarshalECPrivateKey(server.key)
	require.NoError(t, err)
	dir := filepath.Join(tmp, "policies")
	testpolicies.Write(t, dir, testpolicies.Variant{Marker: "A"})
	r := startServe(t, fmt.Sprintf(`
policies: {dir: %q}
server: {tls: {cert_file: %q, key_file: %q, client_ca_file: %q}}
log: {level: error}
`, dir, writePEM(t, filepath.Join(tmp, "srv.crt"), "CERTIFICATE", server.der),
		writePEM(t, filepath.Join(tmp, "srv.key"), "EC PRIVATE KEY", skd),
		writePEM(t, filepath.Join(tmp, "ca.crt"), "CERTIFICATE", ca.der)))
	require.True(t, strings.HasPrefix(r.url, "https://"))
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	withCert := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: pool, Certificates: []tls.Certificate{alice.tlsCert(t)}, MinVersion: tls.VersionTLS12}}}
	noCert := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: pool, MinVersion: tls.VersionTLS12}}}

	status := func(c *http.Client, tool string) int {
		resp, err := c.Post(r.url+"/v1/check", "application/json",
			strings.NewReader(`{"tool": {"name": "`+tool+`", "arguments": {}}}`))
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, status(withCert, testpolicies.ToolEcho), "alice (OU dev) may echo")
	assert.Equal(t, http.StatusForbidden, status(withCert, testpolicies.ToolShell), "but not exec")
	_, err = noCert.Post(r.url+"/v1/check", "application/json", strings.NewReader(`{}`))
	// TLS 1.3 answers a missing certificate with certificate_required, TLS
	// 1.2 with handshake_failure: either way the server's alert, not a
	// timeout or an HTTP answer.
	requireTLSAlert(t, err, "tls: certificate required", "tls: handshake failure")

	// A certificate from another CA, even one naming alice in OU dev (or
	// an admin), is refused in the handshake: the subject is only trusted
	// when the configured client CA signed it.
	otherCA := issue(t, &x509.Certificate{Subject: pkix.Name{CommonName: "test CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}, nil)
	for _, ou := range []string{"dev", "admin"} {
		forged := issue(t, &x509.Certificate{Subject: pkix.Name{CommonName: "alice", OrganizationalUnit: []string{ou}},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, &otherCA)
		otherCert := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs: pool, Certificates: []tls.Certificate{forged.tlsCert(t)}, MinVersion: tls.VersionTLS12}}}
		resp, err := otherCert.Post(r.url+"/v1/check", "application/json",
			strings.NewReader(`{"tool": {"name": "`+testpolicies.ToolShell+`", "arguments": {}}}`))
		if err == nil {
			_ = resp.Body.Close()
			t.Fatalf("OU %s: a certificate from another CA got HTTP %d; want a refused handshake", ou, resp.StatusCode)
		}
		requireTLSAlert(t, err, "tls: unknown certificate authority")
	}
	assert.Equal(t, http.StatusOK, status(withCert, testpolicies.ToolEcho), "the server still serves alice's real certificate")
}

// requireTLSAlert requires err to be the TLS alert the server sent (the
// client sees it as a "remote error"), with one of the given descriptions.
func requireTLSAlert(t *testing.T, err error, descriptions ...string) {
	t.Helper()
	require.Error(t, err, "want a refused TLS handshake")
	var op *net.OpError
	require.True(t, errors.As(err, &op) && op.Op == "remote error",
		"want a TLS alert from the server, got %T: %v", err, err)
	for _, d := range descriptions {
		if strings.Contains(op.Err.Error(), d) {
			return
		}
	}
	t.Fatalf("TLS alert %q, want one of %q", op.Err, descriptions)
}
