package facts

import (
	"encoding/json"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// assertTerm checks a fact term against the expected JSON document. Both
// sides go through ast.JSON and encoding/json so key order and OPA sets
// (features, rendered as sorted arrays) compare as plain JSON.
func assertTerm(t *testing.T, got *ast.Term, want string) {
	t.Helper()
	gotJSON := termJSON(t, got)
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON %s: %v", want, err)
	}
	wantJSON, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	if gotJSON != string(wantJSON) {
		t.Errorf("fact mismatch\n got: %s\nwant: %s", gotJSON, wantJSON)
	}
	// What policies receive must be an ordinary ground value. (It is not
	// checked by parsing got.String() back: OPA prints control characters
	// such as NUL with Go's \x escapes, which the Rego parser rejects.)
	if !got.IsGround() {
		t.Errorf("fact term is not ground: %v", got)
	}
}

func termJSON(t *testing.T, term *ast.Term) string {
	t.Helper()
	v, err := ast.JSON(term.Value)
	if err != nil {
		t.Fatalf("ast.JSON: %v", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// field returns one field of an object term, failing the test when absent.
func field(t *testing.T, term *ast.Term, key string) *ast.Term {
	t.Helper()
	obj, ok := term.Value.(ast.Object)
	if !ok {
		t.Fatalf("not an object: %v", term)
	}
	v := obj.Get(ast.StringTerm(key))
	if v == nil {
		t.Fatalf("no %q in %v", key, term)
	}
	return v
}

func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}
