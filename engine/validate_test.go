package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// TestValidateCallSessionRequestFields: session and request fields are held
// to the rules of principal and tool names (printable, valid UTF-8, bounded).
func TestValidateCallSessionRequestFields(t *testing.T) {
	t.Parallel()
	base := func() engine.Call {
		c := call("alice", "notes.md")
		c.Session = &engine.Session{ID: "s-1", Agent: "coder", Model: "m1", CallIndex: 3}
		c.Request = &engine.Request{ID: "r-1", Time: "2025-01-01T00:00:00Z", Source: "mcp"}
		return c
	}
	require.NoError(t, engine.ValidateCall(base(), engine.Limits{}))
	fields := map[string]func(*engine.Call, string){
		"session.id":         func(c *engine.Call, s string) { c.Session.ID = s },
		"session.agent":      func(c *engine.Call, s string) { c.Session.Agent = s },
		"session.model":      func(c *engine.Call, s string) { c.Session.Model = s },
		"request.id":         func(c *engine.Call, s string) { c.Request.ID = s },
		"request.time":       func(c *engine.Call, s string) { c.Request.Time = s },
		"request.source":     func(c *engine.Call, s string) { c.Request.Source = s },
		"principal.id":       func(c *engine.Call, s string) { c.Principal.ID = s },
		"principal.tenant":   func(c *engine.Call, s string) { c.Principal.Tenant = s },
		"principal.roles[0]": func(c *engine.Call, s string) { c.Principal.Roles = []string{s} },
		"tool.name":          func(c *engine.Call, s string) { c.Tool.Name = s },
	}
	bad := map[string]string{
		"NUL and ANSI escape": "s\x00\x1b[2J",
		"newline":             "r\r\nforged: 1",
		"DEL":                 "x\x7f",
		"invalid UTF-8":       "x\xff",
		"too long":            strings.Repeat("a", engine.DefaultMaxNameBytes+1),
		"zero-width space":    "\u200b",
		"byte-order mark":     "al\ufeffice",
		"bidi override":       "\u202eecila",
		"C1 control":          "x\u0085y",
	}
	for field, set := range fields {
		for name, value := range bad {
			c := base()
			set(&c, value)
			err := engine.ValidateCall(c, engine.Limits{})
			require.ErrorIs(t, err, engine.ErrInvalidInput, "%s %s", field, name)
			var ie *engine.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, field, ie.Field, name)
		}
	}
	// ParseCall refuses the escaped form of the same document.
	_, err := engine.ParseCall([]byte(`{"tool": {"name": "echo", "arguments": {}}, "principal": {"id": "alice"},
		"session": {"id": "s\u0000\u001b[2J"}}`), engine.Limits{})
	require.ErrorIs(t, err, engine.ErrInvalidInput)
}

// TestLeafTypesAgree: ValidateCall and input building accept exactly the same
// leaf values, so a validated call never fails at Decide with "unsupported
// value type", and the supported Go numbers become the numbers they hold.
func TestLeafTypesAgree(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy)
	withArg := func(v any) engine.Call {
		return engine.Call{
			Tool:      engine.Tool{Name: "other", Arguments: map[string]any{"x": v}},
			Principal: engine.Principal{ID: "alice"},
		}
	}
	accepted := []struct {
		v    any
		want string // the number's text in the input document
	}{
		{int(-7), "-7"},
		{int32(math.MinInt32), "-2147483648"},
		{int64(math.MaxInt64), "9223372036854775807"},
		{uint(42), "42"},
		{uint32(math.MaxUint32), "4294967295"},
		{uint64(math.MaxUint64), "18446744073709551615"},
		{float32(0.1), "0.1"},
		{float32(math.MaxFloat32), "3.4028235e+38"},
		{float64(1.5), "1.5"},
		{json.Number("1e-400"), "1e-400"},
		{json.Number("-0.5E+3"), "-0.5E+3"},
		{json.Number("123456789012345678901234567890"), "123456789012345678901234567890"},
	}
	for _, tc := range accepted {
		c := withArg(tc.v)
		require.NoError(t, engine.ValidateCall(c, engine.Limits{}), "%T %v", tc.v, tc.v)
		in, err := e.Input(c)
		require.NoError(t, err, "%T %v", tc.v, tc.v)
		got, err := in.Find(ast.Ref{ast.StringTerm("tool"), ast.StringTerm("arguments"), ast.StringTerm("x")})
		require.NoError(t, err)
		assert.Equal(t, tc.want, got.String(), "%T %v", tc.v, tc.v)
		_, err = e.Decide(context.Background(), c)
		require.NoError(t, err, "%T %v", tc.v, tc.v)
	}
	refused := []any{
		math.NaN(), math.Inf(1), math.Inf(-1),
		float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
		json.Number("1e400"), json.Number("-1e400"), json.Number("NaN"), json.Number("Inf"),
		json.Number("12abc"), json.Number("0x10"), json.Number("1_000"), json.Number(""),
		json.Number(" 1"), json.Number("01"), json.Number("1."), json.Number(".5"), json.Number("+1"), json.Number("1e"),
		int8(1), int16(1), uint8(1), uint16(1), uintptr(1),
		struct{}{}, new(int), []int{1}, map[string]string{},
	}
	for _, v := range refused {
		c := withArg(v)
		err := engine.ValidateCall(c, engine.Limits{})
		require.ErrorIs(t, err, engine.ErrInvalidInput, "ValidateCall %T %v", v, v)
		_, err = e.Input(c)
		require.ErrorIs(t, err, engine.ErrInvalidInput, "Input %T %v", v, v)
		_, err = e.Decide(context.Background(), c)
		require.ErrorIs(t, err, engine.ErrInvalidInput, "Decide %T %v", v, v)
		// Nested in an array and in annotations, the same.
		c = withArg([]any{v})
		require.ErrorIs(t, engine.ValidateCall(c, engine.Limits{}), engine.ErrInvalidInput, "%T in array", v)
		c = withArg(nil)
		c.Tool.Annotations = map[string]any{"a": v}
		require.ErrorIs(t, engine.ValidateCall(c, engine.Limits{}), engine.ErrInvalidInput, "%T annotation", v)
		_, err = e.Input(c)
		require.True(t, errors.Is(err, engine.ErrInvalidInput), "Input %T annotation: %v", v, err)
	}
	// A document whose number overflows float64 is refused by ParseCall,
	// not later by Decide.
	_, err := engine.ParseCall([]byte(`{"tool": {"name": "other", "arguments": {"n": 1e400}}, "principal": {"id": "alice"}}`), engine.Limits{})
	require.ErrorIs(t, err, engine.ErrInvalidInput)
}
