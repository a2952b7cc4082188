package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/toolgate/toolgate/engine/facts"
)

// Input keys of the input document.
const (
	keyTool        = "tool"
	keyPrincipal   = "principal"
	keySession     = "session"
	keyRequest     = "request"
	keyEnvironment = "environment"
	keyFacts       = "facts"
)

// buildInput turns a call into the policy input document, built as an OPA
// value directly: no JSON encoding, no reflection.
func buildInput(call Call, env *ast.Term, marks map[string]facts.Kind, workspace string) (ast.Value, error) {
	args, err := toTerm(map[string]any(call.Tool.Arguments))
	if err != nil {
		return nil, fmt.Errorf("%w: tool.arguments: %v", ErrInvalidInput, err)
	}
	ann, err := toTerm(map[string]any(call.Tool.Annotations))
	if err != nil {
		return nil, fmt.Errorf("%w: tool.annotations: %v", ErrInvalidInput, err)
	}
	tool := ast.NewObject(
		ast.Item(ast.InternedTerm("name"), ast.StringTerm(call.Tool.Name)),
		ast.Item(ast.InternedTerm("server"), ast.StringTerm(call.Tool.Server)),
		ast.Item(ast.InternedTerm("arguments"), args),
		ast.Item(ast.InternedTerm("annotations"), ann),
	)
	return ast.NewObject(
		ast.Item(ast.InternedTerm(keyTool), ast.NewTerm(tool)),
		ast.Item(ast.InternedTerm(keyPrincipal), principalTerm(call.Principal)),
		ast.Item(ast.InternedTerm(keySession), sessionTerm(call.Session)),
		ast.Item(ast.InternedTerm(keyRequest), requestTerm(call.Request)),
		ast.Item(ast.InternedTerm(keyEnvironment), env),
		ast.Item(ast.InternedTerm(keyFacts), facts.Build(workspace, marks, call.Tool.Arguments)),
	), nil
}

func principalTerm(p Principal) *ast.Term {
	roles := make([]*ast.Term, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = ast.StringTerm(r)
	}
	return ast.ObjectTerm(
		ast.Item(ast.InternedTerm("id"), ast.StringTerm(p.ID)),
		ast.Item(ast.InternedTerm("roles"), ast.ArrayTerm(roles...)),
		ast.Item(ast.InternedTerm("tenant"), ast.StringTerm(p.Tenant)),
	)
}

func sessionTerm(s *Session) *ast.Term {
	if s == nil {
		return ast.ObjectTerm()
	}
	return ast.ObjectTerm(
		ast.Item(ast.InternedTerm("id"), ast.StringTerm(s.ID)),
		ast.Item(ast.InternedTerm("agent"), ast.StringTerm(s.Agent)),
		ast.Item(ast.InternedTerm("model"), ast.StringTerm(s.Model)),
		ast.Item(ast.InternedTerm("call_index"), ast.IntNumberTerm(int(s.CallIndex))),
	)
}

func requestTerm(r *Request) *ast.Term {
	if r == nil {
		return ast.ObjectTerm()
	}
	return ast.ObjectTerm(
		ast.Item(ast.InternedTerm("id"), ast.StringTerm(r.ID)),
		ast.Item(ast.InternedTerm("time"), ast.StringTerm(r.Time)),
		ast.Item(ast.InternedTerm("source"), ast.StringTerm(r.Source)),
	)
}

// environmentTerm is built once per engine configuration and shared by every
// input: terms are immutable during evaluation.
func environmentTerm(workspace string) *ast.Term {
	return ast.ObjectTerm(ast.Item(ast.InternedTerm("workspace"), ast.StringTerm(workspace)))
}

// toTerm converts a JSON value (as ParseCall produces, or as Go callers
// build) into an OPA term. Unsupported types are an error, never a panic.
// Leaves go through scalarTerm, which ValidateCall also uses, so the two
// accept exactly the same values.
func toTerm(v any) (*ast.Term, error) {
	switch x := v.(type) {
	case string:
		return ast.StringTerm(x), nil
	case map[string]any:
		return objectTerm(x)
	case []any:
		return arrayTerm(x)
	case []string:
		terms := make([]*ast.Term, len(x))
		for i, s := range x {
			terms[i] = ast.StringTerm(s)
		}
		return ast.ArrayTerm(terms...), nil
	default:
		return scalarTerm(v)
	}
}

// scalarTerm converts one non-string leaf into an OPA term: null, a bool, or
// a finite number. Numbers are json.Number in JSON number syntax (the form
// ParseCall produces) whose value is finite as a float64, or one of the Go
// types int, int32, int64, uint, uint32, uint64, float32 and float64 (floats
// finite). Smaller integer types, NaN, ±Inf, json.Number values such as
// "12abc", "NaN", "0x10" or "1e400", and every other Go type are refused.
// It is the single leaf check of both ValidateCall and toTerm.
func scalarTerm(v any) (*ast.Term, error) {
	switch x := v.(type) {
	case nil:
		return ast.InternedNullTerm, nil
	case bool:
		return ast.InternedTerm(x), nil
	case json.Number:
		if !finiteJSONNumber(string(x)) {
			return nil, fmt.Errorf("invalid number %q", truncateKey(string(x)))
		}
		return ast.NumberTerm(x), nil
	case int:
		return ast.IntNumberTerm(x), nil
	case int32:
		return ast.IntNumberTerm(int(x)), nil
	case int64:
		return ast.NumberTerm(json.Number(strconv.FormatInt(x, 10))), nil
	case uint:
		return ast.NumberTerm(json.Number(strconv.FormatUint(uint64(x), 10))), nil
	case uint32:
		return ast.NumberTerm(json.Number(strconv.FormatUint(uint64(x), 10))), nil
	case uint64:
		return ast.NumberTerm(json.Number(strconv.FormatUint(x, 10))), nil
	case float32:
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("number %v is not JSON", x)
		}
		// Formatted at 32-bit precision, so float32(0.1) is 0.1, not
		// 0.100000001490116.
		return ast.NumberTerm(json.Number(strconv.FormatFloat(f, 'g', -1, 32))), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("number %v is not JSON", x)
		}
		return ast.FloatNumberTerm(x), nil
	default:
		return nil, fmt.Errorf("unsupported value type %T", v)
	}
}

// finiteJSONNumber reports whether s is a number in JSON syntax
// (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?) whose float64 value is
// finite. strconv.ParseFloat alone is not enough: it also accepts "NaN",
// "Inf", "0x1p3" and "1_000".
func finiteJSONNumber(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	if i != len(s) {
		return false
	}
	// Overflow is ErrRange with ±Inf; underflow rounds to zero without an
	// error, and the term keeps the exact text anyway.
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func objectTerm(m map[string]any) (*ast.Term, error) {
	items := make([][2]*ast.Term, 0, len(m))
	for k, v := range m {
		t, err := toTerm(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		items = append(items, ast.Item(ast.StringTerm(k), t))
	}
	return ast.ObjectTerm(items...), nil
}

func arrayTerm(a []any) (*ast.Term, error) {
	terms := make([]*ast.Term, len(a))
	for i, v := range a {
		t, err := toTerm(v)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		terms[i] = t
	}
	return ast.ArrayTerm(terms...), nil
}
