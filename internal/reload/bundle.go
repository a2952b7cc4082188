package reload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/toolgate/toolgate/engine"
)

// ReadBundle parses a bundle tarball. With vc set the bundle must carry a
// valid .signatures.json for its files; a failure to verify is a
// StageSignature error, any other read failure a StageCompile one.
func ReadBundle(data []byte, vc *bundle.VerificationConfig) (*bundle.Bundle, error) {
	read := func(vc *bundle.VerificationConfig) (bundle.Bundle, error) {
		r := bundle.NewReader(bytes.NewReader(data)).
			WithRegoVersion(ast.RegoV1).
			WithProcessAnnotations(true).
			WithSizeLimitBytes(MaxSetBytes)
		if vc != nil {
			r = r.WithBundleVerificationConfig(vc)
		} else {
			r = r.WithSkipBundleVerification(true)
		}
		return r.Read()
	}
	b, err := read(vc)
	if err == nil {
		return &b, nil
	}
	if vc != nil {
		if _, plain := read(nil); plain == nil {
			return nil, stageErr(StageSignature, err) // readable, but not verifiably signed
		}
	}
	return nil, stageErr(StageCompile, fmt.Errorf("read bundle: %w", err))
}

// candidateFromBundle turns verified bundle bytes into a candidate whose
// directory holds the bundle's modules (tests included) and data.
func candidateFromBundle(data []byte, vc *bundle.VerificationConfig, origin string) (*Candidate, error) {
	b, err := ReadBundle(data, vc)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "toolgate-bundle-")
	if err != nil {
		return nil, stageErr(StageFetch, err)
	}
	c := &Candidate{dir: tmp, origin: origin, Set: engine.FromBundle(b)}
	if err := writeBundleFiles(b, tmp); err != nil {
		c.Close()
		return nil, stageErr(StageFetch, err)
	}
	return c, nil
}

func writeBundleFiles(b *bundle.Bundle, dir string) error {
	for _, m := range b.Modules {
		// Clean under "/" first: a module path cannot climb out of dir.
		p := filepath.Join(dir, filepath.Clean("/"+m.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(p, m.Raw, 0o600); err != nil {
			return err
		}
	}
	if len(b.Data) == 0 {
		return nil
	}
	raw, err := json.Marshal(b.Data)
	if err != nil {
		return fmt.Errorf("bundle data: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "data.json"), raw, 0o600)
}

func contentHash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

var errTooBig = errors.New("bundle is larger than the limit")
