package engine_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

const okCall = `{"tool": {"name": "fs.read_file", "arguments": {"path": "a.md", "n": 3}},
 "principal": {"id": "alice", "roles": ["developer"]}}`

func TestParseCall(t *testing.T) {
	t.Parallel()
	c, err := engine.ParseCall([]byte(okCall), engine.Limits{})
	require.NoError(t, err)
	assert.Equal(t, "fs.read_file", c.Tool.Name)
	assert.Equal(t, "a.md", c.Tool.Arguments["path"])
	assert.Equal(t, "3", string(c.Tool.Arguments["n"].(interface{ String() string }).String()))
}

func TestParseCallRefusesBadInput(t *testing.T) {
	t.Parallel()
	deep := `{"tool": {"name": "x", "arguments": {"a": ` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}}, "principal": {"id": "a", "roles": []}}`
	huge := `{"tool": {"name": "x", "arguments": {"a": "` + strings.Repeat("A", 50<<20) + `"}}, "principal": {"id": "a", "roles": []}}`
	long := `{"tool": {"name": "x", "arguments": {"a": "` + strings.Repeat("A", 300<<10) + `"}}, "principal": {"id": "a", "roles": []}}`
	many := `{"tool": {"name": "x", "arguments": {"a": [` + strings.TrimSuffix(strings.Repeat("1,", 5000), ",") + `]}}, "principal": {"id": "a", "roles": []}}`
	cases := map[string]struct{ doc, want string }{
		"not json":          {`{"tool":`, "malformed JSON"},
		"empty":             {``, "malformed JSON"},
		"invalid utf8":      {"{\"tool\": {\"name\": \"x\xff\"}, \"principal\": {\"id\": \"a\"}}", "UTF-8"},
		"10000 deep":        {deep, "nesting deeper"},
		"50 MB":             {huge, "limit is"},
		"long string":       {long, "string is"},
		"too many items":    {many, "more than"},
		"trailing data":     {okCall + ` {}`, "trailing data"},
		"wrong type":        {`{"tool": {"name": 5}, "principal": {"id": "a"}}`, `"tool.name" must be string`},
		"arguments array":   {`{"tool": {"name": "x", "arguments": []}, "principal": {"id": "a"}}`, "must be"},
		"roles string":      {`{"tool": {"name": "x"}, "principal": {"id": "a", "roles": "admin"}}`, "must be"},
		"no tool name":      {`{"tool": {"arguments": {}}, "principal": {"id": "a"}}`, "tool.name: is required"},
		"NUL in name":       {`{"tool": {"name": "fs.read\u0000_file"}, "principal": {"id": "a"}}`, "control character"},
		"newline in role":   {`{"tool": {"name": "x"}, "principal": {"id": "a", "roles": ["admin\nx"]}}`, "control character"},
		"caller facts":      {`{"tool": {"name": "x"}, "principal": {"id": "a"}, "facts": {"paths": {}}}`, "unknown field"},
		"caller workspace":  {`{"tool": {"name": "x"}, "principal": {"id": "a"}, "environment": {"workspace": "/"}}`, "unknown field"},
		"number overflow":   {`{"tool": {"name": "x", "arguments": {"n": 1e999999}}, "principal": {"id": "a"}}`, `tool.arguments.n: invalid number "1e999999"`},
		"top-level array":   {`[]`, "must be"},
		"duplicate key":     {`{"tool": {"name": "fs.read_file", "arguments": {"path": "/etc/shadow", "path": "notes.md"}}, "principal": {"id": "a"}}`, `duplicate key "path"`},
		"duplicate top key": {`{"tool": {"name": "x"}, "principal": {"id": "a"}, "principal": {"id": "b"}}`, `duplicate key "principal"`},
		"lone surrogate ok": {`{"tool": {"name": "x", "arguments": {"s": "\ud800"}}, "principal": {"id": "a"}}`, "-"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := engine.ParseCall([]byte(tc.doc), engine.Limits{})
			if tc.want == "-" {
				// accepted: a lone surrogate decodes as U+FFFD
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, engine.ErrInvalidInput)
			var ie *engine.InputError
			require.ErrorAs(t, err, &ie)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, len(err.Error()), 400, "errors must not echo large input")
		})
	}
}

func TestValidateCallRejectsGoTypes(t *testing.T) {
	t.Parallel()
	c := engine.Call{Tool: engine.Tool{Name: "x", Arguments: map[string]any{"f": func() {}}}}
	require.ErrorIs(t, engine.ValidateCall(c, engine.Limits{}), engine.ErrInvalidInput)
	c.Tool.Arguments = map[string]any{"ok": []string{"a"}, "n": 1.5, "i": 3, "nested": map[string]any{"b": nil}}
	require.NoError(t, engine.ValidateCall(c, engine.Limits{}))
}

// The same key in different objects, or as a value, is not a duplicate.
func TestParseCallKeysPerObject(t *testing.T) {
	t.Parallel()
	doc := `{"tool": {"name": "x", "arguments": {"a": {"name": "name"}, "b": [{"a": 1}, {"a": 2}], "name": "a"}}, "principal": {"id": "a", "roles": ["name"]}}`
	_, err := engine.ParseCall([]byte(doc), engine.Limits{})
	require.NoError(t, err)
}
