package audit

import "github.com/toolgate/toolgate/engine/facts"

// defaultDetector is the secret detector of the redaction pass unless
// WithDetector replaces it: the engine's own, so the log redacts exactly the
// families the policies' secret rules see (docs/input-and-decision.md).
var defaultDetector Detector = findSecrets

func findSecrets(s string) []Match {
	found := facts.FindSecrets(s)
	if len(found) == 0 {
		return nil
	}
	out := make([]Match, len(found))
	for i, m := range found {
		out[i] = Match{Kind: m.Kind, Start: m.Start, End: m.End}
	}
	return out
}
