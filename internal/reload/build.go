package reload

import (
	"fmt"
	"io"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/loader"
)

// BuildBundle loads the policy directory dir (tests included, so a reload
// can run them) as a bundle with the given revision.
func BuildBundle(dir, revision string) (*bundle.Bundle, error) {
	b, err := loader.NewFileLoader().
		WithRegoVersion(ast.RegoV1).
		WithProcessAnnotation(true).
		AsBundle(dir)
	if err != nil {
		return nil, fmt.Errorf("build bundle from %s: %w", dir, err)
	}
	if len(b.Modules) == 0 {
		return nil, fmt.Errorf("build bundle from %s: no Rego modules", dir)
	}
	b.Manifest.Revision = revision
	return b, nil
}

// SignBundle adds a .signatures.json over every file of b, signed with the
// PEM private key (or HMAC secret) keyPEM.
func SignBundle(b *bundle.Bundle, keyPEM []byte, alg, keyID string) error {
	sc := bundle.NewSigningConfig(string(keyPEM), alg, "")
	if err := b.GenerateSignature(sc, keyID, false); err != nil {
		return fmt.Errorf("sign bundle: %w", err)
	}
	return nil
}

// WriteBundle writes b as a gzipped tarball.
func WriteBundle(w io.Writer, b *bundle.Bundle) error {
	if err := bundle.NewWriter(w).Write(*b); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}
