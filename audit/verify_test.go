package audit

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// verifyCase is one entry of testdata/verify/cases.json.
type verifyCase struct {
	Name    string   `json:"name"`
	Files   []string `json:"files"`
	PubKey  string   `json:"pubkey"` // "test", "other" or empty
	Head    string   `json:"head"`   // "valid": the head of valid.jsonl
	Partial bool     `json:"partial"`
	Want    *struct {
		Kind string `json:"kind"`
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"want"` // nil: intact
	Torn int `json:"torn"` // line of an expected torn tail
}

func loadVerifyCases(t *testing.T) []verifyCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cs []verifyCase
	if err := json.Unmarshal(b, &cs); err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestVerifyTamperedLogs runs Verify on the golden log and on each tampered
// copy of it and checks the first broken link it reports.
func TestVerifyTamperedLogs(t *testing.T) {
	validHead := verifyFiles(t, VerifyOptions{}, filepath.Join(goldenDir, "valid.jsonl"))
	for _, c := range loadVerifyCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			opts := VerifyOptions{Partial: c.Partial}
			switch c.PubKey {
			case "test":
				opts.PublicKey = testPub()
			case "other":
				opts.PublicKey = ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
			}
			if c.Head == "valid" {
				opts.Head = &Head{Seq: validHead.LastSeq, Hash: validHead.Head}
			}
			var paths []string
			for _, f := range c.Files {
				paths = append(paths, filepath.Join(goldenDir, f))
			}
			checkCase(t, c, verifyFiles(t, opts, paths...))
		})
	}
}

func checkCase(t *testing.T, c verifyCase, rep *Report) {
	t.Helper()
	switch {
	case c.Want == nil && c.Torn == 0:
		mustIntact(t, rep)
	case c.Torn != 0:
		if !errors.Is(rep.Err(), ErrTornTail) || len(rep.Torn) != 1 || rep.Torn[0].Line != c.Torn {
			t.Fatalf("want a torn tail at line %d, got %v %+v", c.Torn, rep.Err(), rep.Torn)
		}
	default:
		b := rep.Break
		file := c.Want.File
		if file == "" {
			file = c.Files[0]
		}
		if b == nil || b.Kind != c.Want.Kind || b.File != file || b.Line != c.Want.Line {
			t.Fatalf("want %s at %s:%d, got %+v", c.Want.Kind, file, c.Want.Line, b)
		}
		if !errors.Is(rep.Err(), ErrChainBroken) {
			t.Fatalf("Err() = %v", rep.Err())
		}
	}
}

// writeTamperings derives the tampered copies of the golden log (-update).
func writeTamperings(t *testing.T, valid []byte) {
	t.Helper()
	v := lines(valid)
	n := len(v)
	cp := func() []string { return append([]string(nil), v...) }
	files := map[string][]byte{}
	edited := cp()
	edited[4] = strings.Replace(edited[4], `"rate_limited"`, `"denied"`, 1)
	files["edited.jsonl"] = join(edited)
	last := cp()
	last[n-1] = strings.Replace(last[n-1], `"reason":"close"`, `"reason":"clean"`, 1)
	files["edited_last.jsonl"] = join(last)
	files["deleted.jsonl"] = join(append(cp()[:3], v[4:]...))
	reordered := cp()
	reordered[6], reordered[7] = reordered[7], reordered[6]
	files["reordered.jsonl"] = join(reordered)
	forged := `{"type":"decision","seq":4,"prev_hash":"` + lineHash([]byte(v[2])) + `","event_id":"forged","decision_id":"x","timestamp":"2026-11-26T10:00:03Z","path":"toolgate/decision","input":{},"result":{"allow":true}}`
	files["inserted.jsonl"] = join(append(append(cp()[:3], forged), v[3:]...))
	files["duplicated.jsonl"] = join(append(append(cp()[:3], v[2]), v[3:]...))
	torn := join(v)
	files["torn.jsonl"] = torn[:len(torn)-len(v[n-1])/2-1]
	files["truncated.jsonl"] = join(v[:n-3])
	rewritten := cp()
	rewritten[1] = strings.Replace(rewritten[1], `"id":"alice"`, `"id":"mallory"`, 1)
	files["rewritten.jsonl"] = join(relink(t, rewritten))
	malformed := cp()
	malformed[8] = "hello"
	files["malformed.jsonl"] = join(malformed)
	files["missing_start.jsonl"] = join(v[2:])
	files["part1.jsonl"] = join(v[:6])
	files["part2.jsonl"] = join(v[6:])
	der, err := x509.MarshalPKIXPublicKey(testPub())
	if err != nil {
		t.Fatal(err)
	}
	files["checkpoint.pub"] = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	for name, b := range files {
		writeGolden(t, filepath.Join(goldenDir, name), b)
	}
}

// relink recomputes every prev_hash after an edit, as an attacker without
// the checkpoint key would.
func relink(t *testing.T, ls []string) []string {
	t.Helper()
	out := append([]string(nil), ls...)
	for i := 1; i < len(out); i++ {
		h, err := parseHeader([]byte(out[i]))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = strings.Replace(out[i], h.prev, lineHash([]byte(out[i-1])), 1)
	}
	return out
}
