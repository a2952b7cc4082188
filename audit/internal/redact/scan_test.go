package redact

import (
	"reflect"
	"strings"
	"testing"
)

func TestScanErasesSecretsInValuesAndKeys(t *testing.T) {
	r := mustNew(t, Erase)
	in := tree(t, `{"tool":{"arguments":{
		"cmd":"curl -H 'X-Key: SECRET123' https://h/p",
		"list":["ok",["SECRET9"],{"SECRET7":"v"}],
		"SECRET1":{"inner":"SECRET2"},
		"n":5}}}`)
	var rep Report
	r.Scan(in, "/input", &rep)
	r.Finish(&rep)
	got := asJSON(t, in)
	if strings.Contains(got, "SECRET") {
		t.Fatalf("secret left: %s", got)
	}
	want := `{"tool":{"arguments":{"[REDACTED:fake]":{"inner":"[REDACTED:fake]"},` +
		`"cmd":"curl -H 'X-Key: [REDACTED:fake]' https://h/p",` +
		`"list":["ok",["[REDACTED:fake]"],{"[REDACTED:fake]":"v"}],"n":5}}}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	wantPtrs := []string{
		"/input/tool/arguments/[REDACTED:fake]",
		"/input/tool/arguments/[REDACTED:fake]/inner",
		"/input/tool/arguments/cmd",
		"/input/tool/arguments/list/1/0",
		"/input/tool/arguments/list/2/[REDACTED:fake]",
	}
	if !reflect.DeepEqual(rep.Erased, wantPtrs) {
		t.Fatalf("erased %q", rep.Erased)
	}
}

func TestScanCollidingKeysGetSuffixes(t *testing.T) {
	r := mustNew(t, Erase)
	in := tree(t, `{"SECRET1":"a","SECRET2":"b"}`)
	var rep Report
	r.Scan(in, "", &rep)
	if got := asJSON(t, in); got != `{"[REDACTED:fake]":"a","[REDACTED:fake]#2":"b"}` {
		t.Fatal(got)
	}
}

func TestScanHMACCorrelates(t *testing.T) {
	r := mustNew(t, HMAC)
	a := r.Scan("token SECRET42 here", "/a", &Report{}).(string)
	b := r.Scan(map[string]any{"SECRET42": "x"}, "/b", &Report{}).(map[string]any)
	c := r.Scan("SECRET43", "/c", &Report{}).(string)
	mask := "[HMAC:fake:" + r.mac([]byte("SECRET42")) + "]"
	if a != "token "+mask+" here" {
		t.Fatalf("value: %s", a)
	}
	if _, ok := b[mask]; !ok {
		t.Fatalf("key is not masked alike: %v", b)
	}
	if strings.Contains(c, r.mac([]byte("SECRET42"))) {
		t.Fatal("different secrets mask alike")
	}
	other, _ := New(HMAC, []byte("another key, also 32 bytes long!"), fakeDetect)
	if other.Scan("SECRET42", "", &Report{}) == r.Scan("SECRET42", "", &Report{}) {
		t.Fatal("the mask does not depend on the key")
	}
}

func TestScanSkipsSealedValues(t *testing.T) {
	r := mustNew(t, HMAC)
	in := tree(t, `{"tool":{"arguments":{"t":"SECRET1"}}}`)
	var rep Report
	r.Paths(in, []string{"arguments.t"}, "/input", &rep)
	r.Scan(in, "/input", &rep)
	if len(rep.Masked) != 1 {
		t.Fatalf("masked twice: %q", rep.Masked)
	}
}

func TestWildcardPointersNeverNameASecretKey(t *testing.T) {
	r := mustNew(t, Erase)
	in := tree(t, `{"tool":{"arguments":{"SECRET5":"v"}}}`)
	var rep Report
	r.Paths(in, []string{"arguments.*"}, "/input", &rep)
	r.Finish(&rep)
	if strings.Contains(strings.Join(rep.Erased, " "), "SECRET") {
		t.Fatalf("pointer leaks a key: %q", rep.Erased)
	}
}

func TestSpans(t *testing.T) {
	cases := []struct {
		name string
		s    string
		ms   []Match
		want string
	}{
		{"widened to the token", "key=abcSECRET1xyz next", []Match{{"k", 7, 14}}, "[REDACTED:k] next"},
		{"stops at punctuation", "https://h/?a=1&t=SECRET1&b=2", []Match{{"k", 17, 24}}, "https://h/?a=1&[REDACTED:k]&b=2"},
		{"overlapping merge", "xx SECRET1 yy", []Match{{"a", 3, 8}, {"b", 5, 10}}, "xx [REDACTED:a] yy"},
		{"two spans", "SECRET1 and SECRET2", []Match{{"a", 0, 7}, {"b", 12, 19}}, "[REDACTED:a] and [REDACTED:b]"},
		{"out of bounds redacts all", "abc def", []Match{{"a", 3, 99}}, "[REDACTED:unknown]"},
		{"empty span redacts all", "abc def", []Match{{"a", 2, 2}}, "[REDACTED:unknown]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, _ := New(Erase, nil, func(string) []Match { return c.ms })
			if got, _ := r.text(c.s); got != c.want {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
}

func TestCopyIsDeepAndGeneric(t *testing.T) {
	type typed struct {
		A string `json:"a"`
	}
	orig := map[string]any{
		"m": map[string]any{"x": "SECRET1"}, "a": []any{"SECRET2"},
		"typed": typed{A: "SECRET3"}, "ss": map[string]string{"k": "SECRET4"},
		"f": 1.5, "i": 7, "i64": int64(8),
	}
	cp, err := CopyMap(orig)
	if err != nil {
		t.Fatal(err)
	}
	r := mustNew(t, Erase)
	r.Scan(cp, "", &Report{})
	if orig["m"].(map[string]any)["x"] != "SECRET1" || orig["a"].([]any)[0] != "SECRET2" ||
		orig["typed"].(typed).A != "SECRET3" || orig["ss"].(map[string]string)["k"] != "SECRET4" {
		t.Fatal("the original was modified")
	}
	if got := asJSON(t, cp); strings.Contains(got, "SECRET") {
		t.Fatalf("typed values were not scanned: %s", got)
	}
	if got := asJSON(t, cp); !strings.Contains(got, `"f":1.5`) || !strings.Contains(got, `"i":7`) {
		t.Fatalf("numbers changed: %s", got)
	}
}
