package engine_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// callWithArgs is a call document with the given arguments JSON.
func callWithArgs(args string) []byte {
	return []byte(`{"tool": {"name": "fetch", "arguments": ` + args + `}, "principal": {"id": "a"}}`)
}

// Keys of one object that differ only in case are refused at any depth: an
// application decoding the arguments into a Go struct (encoding/json matches
// keys case-insensitively) could read the variant the policies did not judge.
func TestParseCallRefusesCaseVariantKeys(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ doc, want string }{
		"metadata URL":          {string(callWithArgs(`{"url": "https://example.com/", "URL": "http://169.254.169.254/latest/meta-data"}`)), `keys "URL" and "url" differ only in case`},
		"one letter":            {string(callWithArgs(`{"a": 1, "A": 2}`)), `keys "A" and "a" differ only in case`},
		"order does not matter": {string(callWithArgs(`{"A": 1, "a": 2}`)), `keys "A" and "a" differ only in case`},
		"nested object":         {string(callWithArgs(`{"opts": {"headers": {"Host": "a", "host": "b"}}}`)), `keys "Host" and "host" differ only in case`},
		"in an array":           {string(callWithArgs(`{"items": [{"ok": 1}, {"Path": "a", "pATH": "b"}]}`)), `keys "Path" and "pATH" differ only in case`},
		"kelvin sign":           {string(callWithArgs(`{"kind": "a", "\u212aind": "b"}`)), "differ only in case"},
		"long s":                {string(callWithArgs(`{"sudo": false, "\u017fudo": true}`)), "differ only in case"},
		"non-ASCII":             {string(callWithArgs(`{"größe": 1, "GRÖSSE": 2, "GRÖßE": 3}`)), `keys "GRÖßE" and "größe" differ only in case`},
		"top-level keys":        {`{"tool": {"name": "x"}, "Tool": {"name": "y"}, "principal": {"id": "a"}}`, `keys "Tool" and "tool" differ only in case`},
		"tool keys":             {`{"tool": {"name": "read", "Name": "shell.exec"}, "principal": {"id": "a"}}`, `keys "Name" and "name" differ only in case`},
		"long keys":             {string(callWithArgs(`{"` + strings.Repeat("a", 1000) + `": 1, "` + strings.Repeat("A", 1000) + `": 2}`)), "differ only in case"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := engine.ParseCall([]byte(tc.doc), engine.Limits{})
			require.ErrorIs(t, err, engine.ErrInvalidInput)
			var ie *engine.InputError
			require.ErrorAs(t, err, &ie)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, len(err.Error()), 400, "errors must not echo large input")
		})
	}
}

// Keys that are not equal under case folding are not case variants, nor are
// case variants in different objects.
func TestParseCallAcceptsDistinctKeys(t *testing.T) {
	t.Parallel()
	for _, args := range []string{
		`{"a": 1, "b": 2, "a1": 3, "A2": 4}`,
		`{"url": "x", "urls": "y", "Url_": "z"}`,
		`{"ß": 1, "SS": 2, "ss_": 3}`, // ß does not simply fold to ss
		`{"a": {"A": 1}, "A_": {"a": 2}}`,
		`{"items": [{"path": "a"}, {"Path": "b"}]}`,
		`{"k": "kelvin", "path": {"K": 1}}`,
	} {
		_, err := engine.ParseCall(callWithArgs(args), engine.Limits{})
		require.NoError(t, err, args)
	}
}

// ValidateCall, the check every entry point shares, refuses a call built in
// Go whose maps have keys that differ only in case, and names the same pair
// whatever the map iteration order.
func TestValidateCallRefusesCaseVariantKeys(t *testing.T) {
	t.Parallel()
	call := func(args map[string]any) engine.Call {
		return engine.Call{Tool: engine.Tool{Name: "fetch", Arguments: args}, Principal: engine.Principal{ID: "a"}}
	}
	for name, tc := range map[string]struct {
		args map[string]any
		want string
	}{
		"top level": {map[string]any{"url": "https://example.com/", "URL": "http://169.254.169.254/"}, `tool.arguments: keys "URL" and "url" differ only in case`},
		"nested":    {map[string]any{"h": map[string]any{"Host": "a", "HOST": "b"}}, `tool.arguments.h: keys "HOST" and "Host" differ only in case`},
		"in array":  {map[string]any{"l": []any{map[string]any{"x": 1, "X": 2}}}, `tool.arguments.l[0]: keys "X" and "x" differ only in case`},
		"several":   {map[string]any{"b": 1, "B": 2, "a": 3, "A": 4, "\u212a": 5, "k": 6, "K": 7}, `tool.arguments: keys "A" and "a" differ only in case`},
		"orbit":     {map[string]any{"\u212a": 5, "k": 6, "K": 7}, `tool.arguments: keys "K" and "k" differ only in case`},
	} {
		for range 50 { // map order is random; the message is not
			err := engine.ValidateCall(call(tc.args), engine.Limits{})
			require.ErrorIs(t, err, engine.ErrInvalidInput, name)
			require.EqualError(t, err, "invalid input: "+tc.want, name)
		}
	}
	c := call(map[string]any{"url": "a", "urls": "b", "h": map[string]any{"Host": "a"}, "H": nil, "l": []any{map[string]any{"x": 1}, map[string]any{"X": 1}}})
	require.Error(t, engine.ValidateCall(c, engine.Limits{}), `"h" and "H" are case variants`)
	delete(c.Tool.Arguments, "H")
	require.NoError(t, engine.ValidateCall(c, engine.Limits{}))
}

func TestDecodeArguments(t *testing.T) {
	t.Parallel()
	args, err := engine.DecodeArguments([]byte(` {"path": "a.md", "n": 12345678901234567890, "o": {"k": [1, {"K": 2}]}} `), engine.Limits{})
	require.NoError(t, err)
	assert.Equal(t, "a.md", args["path"])
	assert.Equal(t, json.Number("12345678901234567890"), args["n"], "numbers stay exact")

	args, err = engine.DecodeArguments([]byte(`null`), engine.Limits{})
	require.NoError(t, err)
	assert.Nil(t, args)

	for name, tc := range map[string]struct {
		raw  string
		lim  engine.Limits
		want string
	}{
		"case variant":   {raw: `{"url": "https://example.com/", "URL": "http://169.254.169.254/"}`, want: `invalid input: arguments: keys "URL" and "url" differ only in case`},
		"nested variant": {raw: `{"a": [{"b": {"x": 1, "X": 2}}]}`, want: `keys "X" and "x" differ only in case`},
		"duplicate":      {raw: `{"url": "http://169.254.169.254/", "url": "https://example.com/"}`, want: `invalid input: arguments: duplicate key "url"`},
		"array":          {raw: `[1]`, want: "must be a JSON object"},
		"string":         {raw: `"x"`, want: "must be a JSON object"},
		"trailing":       {raw: `{} {}`, want: "trailing data"},
		"trailing text":  {raw: `{"a": 1} rm -rf /`, want: "arguments:"},
		"malformed":      {raw: `{"a": `, want: "malformed JSON"},
		"empty":          {raw: ``, want: "malformed JSON"},
		"invalid UTF-8":  {raw: "{\"a\": \"\xff\"}", want: "UTF-8"},
		"too deep":       {raw: `{"a": {"b": {"c": 1}}}`, lim: engine.Limits{MaxDepth: 2}, want: "nesting deeper than 2"},
		"10000 deep":     {raw: `{"a": ` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`, want: "nesting deeper"},
		"too long":       {raw: `{"a": "` + strings.Repeat("x", 100) + `"}`, lim: engine.Limits{MaxCallBytes: 64}, want: "limit is 64"},
	} {
		_, err := engine.DecodeArguments([]byte(tc.raw), tc.lim)
		require.ErrorIs(t, err, engine.ErrInvalidInput, name)
		var ie *engine.InputError
		require.True(t, errors.As(err, &ie), name)
		assert.Contains(t, err.Error(), tc.want, name)
	}
}

// FuzzDecodeArguments: whatever DecodeArguments accepts has no two keys in
// one object that are equal under case folding (strings.EqualFold, the rule
// encoding/json matches struct fields by), and every refusal is
// ErrInvalidInput.
func FuzzDecodeArguments(f *testing.F) {
	for _, seed := range []string{
		`{"url": "a", "URL": "b"}`, `{"k": 1, "\u212a": 2}`, `{"a": [{"b": 1, "B": 2}]}`, `{"a": 1, "a": 2}`,
		`{"ß": 1, "SS": 2}`, `{"x": {"y": [1, 2, {"z": null}]}}`, `null`, `[]`, `{} x`, `{"Σ": 1, "ς": 2, "σ": 3}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		args, err := engine.DecodeArguments(raw, engine.Limits{})
		if err != nil {
			if !errors.Is(err, engine.ErrInvalidInput) {
				t.Fatalf("error is not ErrInvalidInput: %v", err)
			}
			return
		}
		var check func(v any)
		check = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				keys := make([]string, 0, len(x))
				for k, e := range x {
					for _, prev := range keys {
						if strings.EqualFold(prev, k) {
							t.Fatalf("%q accepted with keys %q and %q", raw, prev, k)
						}
					}
					keys = append(keys, k)
					check(e)
				}
			case []any:
				for _, e := range x {
					check(e)
				}
			}
		}
		check(map[string]any(args))
		if err := engine.ValidateCall(engine.Call{Tool: engine.Tool{Name: "x", Arguments: args}}, engine.Limits{}); err != nil && !errors.Is(err, engine.ErrInvalidInput) {
			t.Fatalf("ValidateCall error is not ErrInvalidInput: %v", err)
		}
	})
}
