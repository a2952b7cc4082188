package reload

import (
	"fmt"
	"os"

	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/keys"

	"github.com/toolgate/toolgate/internal/config"
)

// Verification builds OPA's bundle verification config from the configured
// keys, or nil when none are configured (bundles may then be unsigned).
// With one key the signature must name it; with several, the key id in the
// signature selects one of them.
func Verification(s config.Signing) (*bundle.VerificationConfig, error) {
	if len(s.Keys) == 0 {
		return nil, nil
	}
	pub := make(map[string]*bundle.KeyConfig, len(s.Keys))
	for _, k := range s.Keys {
		if !keys.IsSupportedAlgorithm(k.Algorithm) {
			return nil, fmt.Errorf("policies.signing key %q: algorithm %q is not supported", k.ID, k.Algorithm)
		}
		raw, err := os.ReadFile(k.File)
		if err != nil {
			return nil, fmt.Errorf("policies.signing key %q: %w", k.ID, err)
		}
		pub[k.ID] = &bundle.KeyConfig{Key: string(raw), Algorithm: k.Algorithm, Scope: s.Scope}
	}
	keyID := ""
	if len(s.Keys) == 1 {
		keyID = s.Keys[0].ID
	}
	return bundle.NewVerificationConfig(pub, keyID, s.Scope, nil), nil
}
