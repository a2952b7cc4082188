package openaigate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/engine"
)

// FuzzObjectScanner: whatever way the text is split into deltas, a valid
// JSON object is seen complete exactly at its end, and text that is not an
// object is never taken for a complete one.
func FuzzObjectScanner(f *testing.F) {
	for _, seed := range []string{
		`{"path": "notes.txt"}`, `{"a": "}\"{", "b": [1, {"c": "\\"}]}`, ` {}`, `{"x": "é\u00e9"}`,
		`[1]`, `{"a": 1}}`, `{"a": "`, `{"a": "\"}`, `nope`, `{"a":{"b":[{}]}} `,
	} {
		f.Add(seed, uint(len(seed)/2))
	}
	f.Fuzz(func(t *testing.T, text string, cut uint) {
		k := int(cut % uint(len(text)+1))
		var s objectScanner
		err := s.feed(text[:k])
		if err == nil {
			err = s.feed(text[k:])
		}
		trimmed := strings.TrimSpace(text)
		isObject := json.Valid([]byte(text)) && strings.HasPrefix(trimmed, "{")
		if isObject && (err != nil || !s.done) {
			t.Fatalf("valid object %q not seen complete (err %v, done %v)", text, err, s.done)
		}
		if err == nil && s.done && !isObject {
			if _, derr := decodeArguments(text, engine.Limits{}); derr == nil {
				t.Fatalf("%q decodes although it is not one JSON object", text)
			}
		}
	})
}
