package mcpgate

import (
	"reflect"
	"testing"

	"github.com/toolgate/toolgate/engine"
)

// FuzzParseCallParams: hostile tools/call params never panic the parser,
// and what is forwarded parses back to exactly what was checked.
func FuzzParseCallParams(f *testing.F) {
	for _, seed := range []string{
		`{"name":"read_file","arguments":{"path":"a"}}`,
		`{"name":"read_file","name":"shell.exec","arguments":{"path":"a","path":"b"}}`,
		`{"name":"x","Name":"y"}`, `{"name":"x","arguments":{"a":{"B":1,"b":2}}}`,
		`{"name":"x","arguments":[1]}`, `{"name":"x","arguments":null,"_meta":{"progressToken":1}}`,
		`{"name":"x","arguments":{"n":1e400}}`, `null`, `[]`, `{"name":1}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := parseCallParams(raw, engine.Limits{})
		if err != nil {
			return
		}
		out, err := p.encode()
		if err != nil {
			t.Fatalf("encode %q: %v", raw, err)
		}
		q, err := parseCallParams(out, engine.Limits{})
		if err != nil {
			t.Fatalf("forwarded params %s do not parse: %v", out, err)
		}
		if q.name != p.name || !reflect.DeepEqual(q.args, p.args) {
			t.Fatalf("forwarded %s differs from what was checked (%q %v)", out, p.name, p.args)
		}
	})
}
