package mcpgate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// callParams is a tools/call request as the gate checks and forwards it.
// What goes to the server is re-encoded from exactly what the policies saw,
// so a duplicate or case-variant key cannot mean one thing to toolgate and
// another to the server.
type callParams struct {
	name string
	args map[string]any
	rest map[string]json.RawMessage // _meta and any other field, as sent
}

// Parameter keys of tools/call.
const (
	keyName      = "name"
	keyArguments = "arguments"
)

func parseCallParams(raw json.RawMessage) (callParams, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return callParams{}, errors.New("tools/call params must be an object")
	}
	p := callParams{rest: map[string]json.RawMessage{}}
	for k, v := range fields {
		var err error
		switch {
		case k == keyName:
			err = json.Unmarshal(v, &p.name)
		case k == keyArguments:
			p.args, err = decodeArguments(v)
		case strings.EqualFold(k, keyName) || strings.EqualFold(k, keyArguments):
			err = fmt.Errorf("key %q differs from a tools/call key only in case", k)
		default:
			p.rest[k] = v
		}
		if err != nil {
			return callParams{}, fmt.Errorf("tools/call params: %w", err)
		}
	}
	if p.name == "" {
		return callParams{}, errors.New("tools/call params: name is required")
	}
	return p, nil
}

// decodeArguments reads the arguments object with numbers kept exact.
func decodeArguments(raw json.RawMessage) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("arguments: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("arguments: trailing data")
	}
	if v == nil {
		return nil, nil
	}
	args, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("arguments must be an object")
	}
	return args, checkKeys("arguments", args)
}

// checkKeys refuses objects with keys that differ only in case: servers that
// decode into Go structs match keys case-insensitively and would read the
// variant the policies did not judge.
func checkKeys(path string, v any) error {
	switch x := v.(type) {
	case map[string]any:
		seen := make(map[string]string, len(x))
		for k, e := range x {
			fold := foldKey(k)
			if prev, dup := seen[fold]; dup {
				a, b := min(prev, k), max(prev, k) // map order is random; the message is not
				return fmt.Errorf("%s: keys %q and %q differ only in case", path, a, b)
			}
			seen[fold] = k
			if err := checkKeys(path+"."+k, e); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := checkKeys(fmt.Sprintf("%s[%d]", path, i), e); err != nil {
				return err
			}
		}
	}
	return nil
}

// foldKey maps every rune to the smallest rune of its Unicode case-folding
// orbit, so foldKey(a) == foldKey(b) exactly when strings.EqualFold(a, b),
// which is how encoding/json matches keys to struct fields.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
}

// encode returns the params to forward.
func (p callParams) encode() (json.RawMessage, error) {
	out := make(map[string]any, len(p.rest)+2)
	for k, v := range p.rest {
		out[k] = v
	}
	out[keyName] = p.name
	if p.args != nil {
		out[keyArguments] = p.args
	}
	return json.Marshal(out)
}
