package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Copy returns a deep copy of v as a generic JSON tree. The JSON types the
// engine produces are copied directly; any other Go value a caller put into
// its arguments (a typed struct, map[string]string, an int) goes through one
// encoding/json round trip with UseNumber, which both copies it and turns it
// into the generic shape the redactor walks.
func Copy(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, json.Number:
		return x, nil
	case map[string]any:
		return copyMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := Copy(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case float64:
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64)), nil
	case int:
		return json.Number(strconv.Itoa(x)), nil
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), nil
	default:
		return roundTrip(x)
	}
}

func copyMap(m map[string]any) (map[string]any, error) {
	if m == nil {
		return nil, nil
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		c, err := Copy(e)
		if err != nil {
			return nil, err
		}
		out[k] = c
	}
	return out, nil
}

// CopyMap is Copy for an object.
func CopyMap(m map[string]any) (map[string]any, error) { return copyMap(m) }

func roundTrip(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("redact: copy %T: %w", v, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("redact: copy %T: %w", v, err)
	}
	return out, nil
}
