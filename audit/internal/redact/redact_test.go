package redact

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// fakeSecret is what the test detector finds: the literal "SECRET" followed
// by digits, so the tests of this package need no real detector.
const fakeKind = "fake"

func fakeDetect(s string) []Match {
	var out []Match
	for off := 0; ; {
		i := strings.Index(s[off:], "SECRET")
		if i < 0 {
			return out
		}
		start := off + i
		end := start + len("SECRET")
		for end < len(s) && s[end] >= '0' && s[end] <= '9' {
			end++
		}
		out = append(out, Match{Kind: fakeKind, Start: start, End: end})
		off = end
	}
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

func mustNew(t *testing.T, m Mode) *Redactor {
	t.Helper()
	r, err := New(m, testKey, fakeDetect)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func tree(t *testing.T, js string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNewRejectsBadSettings(t *testing.T) {
	if _, err := New(HMAC, []byte("short"), nil); err != ErrShortKey {
		t.Fatalf("short key: got %v", err)
	}
	if _, err := New(Mode(9), testKey, nil); err != ErrMode {
		t.Fatalf("bad mode: got %v", err)
	}
}

func TestParsePath(t *testing.T) {
	cases := map[string][]string{
		"arguments.token":                 {"tool", "arguments", "token"},
		"arguments.headers.Authorization": {"tool", "arguments", "headers", "Authorization"},
		"arguments.items[2].token":        {"tool", "arguments", "items", "2", "token"},
		"arguments.m[*][0]":               {"tool", "arguments", "m", "*", "0"},
		"principal.id":                    {"principal", "id"},
		"input.arguments.x":               {"tool", "arguments", "x"},
		"/tool/arguments/a.b~1c~0d":       {"tool", "arguments", "a.b/c~d"},
		"/input/session/id":               {"session", "id"},
	}
	for in, want := range cases {
		got, err := ParsePath(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParsePath(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "arguments..x", "arguments.items[", "arguments.items[-1]", "arguments.items[a]", "a[1]x"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) accepted", bad)
		}
	}
}

func TestPathsErase(t *testing.T) {
	r := mustNew(t, Erase)
	in := tree(t, `{"tool":{"arguments":{"token":"t","headers":{"Authorization":"Bearer x","Accept":"*/*"},
		"items":[{"k":"a"},{"k":"b"}],"keep":"yes"}},"principal":{"id":"alice"}}`)
	var rep Report
	r.Paths(in, []string{"arguments.token", "arguments.headers.Authorization", "arguments.items[*].k", "arguments.missing", "principal.id"}, "/input", &rep)
	r.Finish(&rep)
	want := `{"principal":{},"tool":{"arguments":{"headers":{"Accept":"*/*"},"items":[{},{}],"keep":"yes"}}}`
	if got := asJSON(t, in); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	wantPtrs := []string{"/input/principal/id", "/input/tool/arguments/headers/Authorization",
		"/input/tool/arguments/items/0/k", "/input/tool/arguments/items/1/k", "/input/tool/arguments/token"}
	if !reflect.DeepEqual(rep.Erased, wantPtrs) || rep.Masked != nil {
		t.Fatalf("erased %q masked %q", rep.Erased, rep.Masked)
	}
}

func TestPathsEraseArrayElementKeepsIndexes(t *testing.T) {
	r := mustNew(t, Erase)
	in := tree(t, `{"tool":{"arguments":{"a":["x","y","z"]}}}`)
	var rep Report
	r.Paths(in, []string{"arguments.a[1]"}, "/input", &rep)
	if got := asJSON(t, in); got != `{"tool":{"arguments":{"a":["x",null,"z"]}}}` {
		t.Fatal(got)
	}
}

func TestPathsHMACMasksWholeValues(t *testing.T) {
	r := mustNew(t, HMAC)
	in := tree(t, `{"tool":{"arguments":{"token":"hunter2","obj":{"n":1},"num":42}}}`)
	var rep Report
	r.Paths(in, []string{"arguments.token", "arguments.obj", "arguments.num", "/tool/arguments/token"}, "/input", &rep)
	r.Finish(&rep)
	args := in["tool"].(map[string]any)["arguments"].(map[string]any)
	for k, v := range args {
		s, ok := v.(Sealed)
		if !ok || !strings.HasPrefix(string(s), hmacValuePrefix) || len(s) != len(hmacValuePrefix)+64 {
			t.Errorf("%s not masked: %#v", k, v)
		}
	}
	if args["token"] != Sealed(hmacValuePrefix+r.mac([]byte("hunter2"))) {
		t.Error("a string is not keyed by its own bytes")
	}
	if len(rep.Masked) != 3 || rep.Erased != nil {
		t.Fatalf("a path given twice is masked once: masked %q erased %q", rep.Masked, rep.Erased)
	}
}

func TestMalformedPathRedactsAllArguments(t *testing.T) {
	r := mustNew(t, Erase)
	in := tree(t, `{"tool":{"name":"x","arguments":{"a":"1"}}}`)
	var rep Report
	r.Paths(in, []string{"arguments..a"}, "/input", &rep)
	if got := asJSON(t, in); got != `{"tool":{"name":"x"}}` {
		t.Fatal(got)
	}
	if !reflect.DeepEqual(rep.Erased, []string{"/input/tool/arguments"}) {
		t.Fatal(rep.Erased)
	}
}
