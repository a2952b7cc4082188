package facts

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseEmails(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"one", "bob@acme.example", `{"ok":true,"addresses":[{"address":"bob@acme.example","domain":"acme.example"}]}`},
		{"display name and case", "Bob <BOB@ACME.Example>", `{"ok":true,"addresses":[{"address":"BOB@acme.example","domain":"acme.example"}]}`},
		{"list in a string", "a@x.example, \"C, D\" <c@y.example>",
			`{"ok":true,"addresses":[{"address":"a@x.example","domain":"x.example"},{"address":"c@y.example","domain":"y.example"}]}`},
		{"array", []any{"a@x.example", "b@Y.example, c@z.example"},
			`{"ok":true,"addresses":[{"address":"a@x.example","domain":"x.example"},{"address":"b@y.example","domain":"y.example"},{"address":"c@z.example","domain":"z.example"}]}`},
		{"encoded display name", "=?utf-8?q?Bob?= <b@x.example>", `{"ok":true,"addresses":[{"address":"b@x.example","domain":"x.example"}]}`},
		{"unicode domain", "b@ＡＣＭＥ.example", `{"ok":true,"addresses":[{"address":"b@acme.example","domain":"acme.example"}]}`},
		{"domain literal", "b@[127.0.0.1]", `{"ok":true,"addresses":[{"address":"b@[127.0.0.1]","domain":"[127.0.0.1]"}]}`},
		{"quoted at in local part", `"bob@evil.example"@acme.example`,
			`{"ok":false,"error":"address \"bob@evil.example@acme.example\" has routing characters in its local part"}`},
		{"percent hack", "bob%evil.example@acme.example",
			`{"ok":false,"error":"address \"bob%evil.example@acme.example\" has routing characters in its local part"}`},
		{"bang path", "evil!bob@acme.example",
			`{"ok":false,"error":"address \"evil!bob@acme.example\" has routing characters in its local part"}`},
		{"invalid", "not an address", `{"ok":false,"error":"parse address list: mail: no angle-addr"}`},
		{"trailing dot", "b@acme.example.", `{"ok":false,"error":"parse address list: mail: missing '@' or angle-addr"}`},
		{"empty string", "", `{"ok":false,"error":"parse address list: mail: no address"}`},
		{"empty array", []any{}, `{"ok":false,"error":"no address"}`},
		{"not a string", json.Number("5"), `{"ok":false,"error":"argument is not a string or an array of strings"}`},
		{"array with a number", []any{"a@x.example", true}, `{"ok":false,"error":"recipient 1 is not a string"}`},
		{"too many", strings.Repeat("a@x.example,", maxEmailAddresses) + "a@x.example",
			`{"ok":false,"error":"more than 1000 addresses"}`},
		{"too long", strings.Repeat("a", maxEmailBytes+1), `{"ok":false,"error":"address list longer than 65536 bytes"}`},
		{"too long in an array", []any{"a@x.example", strings.Repeat("a", maxEmailBytes+1)},
			`{"ok":false,"error":"address list longer than 65536 bytes"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParseEmails(c.v).Term(), c.want)
		})
	}
}
