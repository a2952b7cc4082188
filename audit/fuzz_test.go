package audit

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/audit/internal/redact"
)

// FuzzVerify feeds hostile log files to the verifier: it must never panic,
// and an intact report must account for every line.
func FuzzVerify(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(goldenDir, "*.jsonl"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"decision","seq":1,"prev_hash":"` + GenesisHash + `","x":1}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Verify(VerifyOptions{PublicKey: testPub()}, Source{Name: "fuzz", R: bytes.NewReader(data)})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Err() == nil && rep.Events != bytes.Count(data, []byte{'\n'}) {
			t.Fatalf("intact with %d events for %d lines", rep.Events, bytes.Count(data, []byte{'\n'}))
		}
	})
}

// FuzzRedact runs hostile argument trees and redact paths through both
// passes: no panic, the result still encodes, and a seeded secret is gone.
func FuzzRedact(f *testing.F) {
	f.Add(`{"a":"sk_live_1","b":[{"sk_live_2":"x"}]}`, "arguments.a")
	f.Add(`{"k":{"x":["y","sk_live_z"]}}`, "arguments.k[*]")
	f.Add(`{"a.b":{"c":1}}`, "/tool/arguments/a.b")
	f.Add(`[]`, "arguments..")
	f.Fuzz(func(t *testing.T, args, path string) {
		var v any
		dec := json.NewDecoder(strings.NewReader(args))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			return
		}
		for _, mode := range []redact.Mode{redact.Erase, redact.HMAC} {
			r, err := redact.New(mode, testHMACKey, wordDetector)
			if err != nil {
				t.Fatal(err)
			}
			cp, err := redact.Copy(v)
			if err != nil {
				t.Fatal(err)
			}
			in := map[string]any{"tool": map[string]any{"arguments": cp}}
			var rep redact.Report
			r.Paths(in, []string{path}, "/input", &rep)
			r.Scan(in, "/input", &rep)
			r.Finish(&rep)
			out, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(out, []byte("sk_live_")) {
				t.Fatalf("secret left in %s", out)
			}
		}
	})
}
