package testpolicies

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The forbidden_text rule of the test policies, and what an attacker who
// can rewrite a bundle in transit or at rest turns it into: a rule that
// never fires. The disarmed set still parses and passes its own tests.
const (
	ForbiddenRule = `input.tool.arguments.text == "forbidden"`
	DisarmedRule  = `input.tool.arguments.text == "never-matches"`
)

// Disarm is the edit for TamperBundle that disarms the forbidden_text rule.
func Disarm(src string) string { return strings.Replace(src, ForbiddenRule, DisarmedRule, 1) }

// TamperBundle re-tars bundle data with every .rego file passed through
// edit and every other file (.manifest, data.json, .signatures.json) as it
// was. signed says whether the bundle must carry a .signatures.json; exactly
// one module must be changed by edit.
func TamperBundle(t testing.TB, data []byte, signed bool, edit func(string) string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	tr := tar.NewReader(zr)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	changed, sawSignatures := 0, false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		body, err := io.ReadAll(tr)
		require.NoError(t, err)
		sawSignatures = sawSignatures || strings.HasSuffix(h.Name, ".signatures.json")
		if strings.HasSuffix(h.Name, ".rego") {
			if edited := edit(string(body)); edited != string(body) {
				body = []byte(edited)
				changed++
			}
		}
		h.Size = int64(len(body))
		require.NoError(t, tw.WriteHeader(h))
		_, err = tw.Write(body)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	require.NoError(t, zw.Close())
	require.Equal(t, signed, sawSignatures, "the original bundle carries .signatures.json")
	require.Equal(t, 1, changed, "exactly one module was tampered with")
	return out.Bytes()
}
