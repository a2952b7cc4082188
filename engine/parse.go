package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// InputError explains why a call document was refused. It wraps
// ErrInvalidInput.
type InputError struct {
	Field  string
	Reason string
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return "invalid input: " + e.Reason
	}
	return "invalid input: " + e.Field + ": " + e.Reason
}

func (e *InputError) Unwrap() error { return ErrInvalidInput }

func inputErr(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ParseCall decodes one call document within lim. Numbers stay json.Number so
// no precision is lost. The raw bytes are checked for size and valid UTF-8,
// and their structure for depth and duplicate keys, before decoding.
func ParseCall(data []byte, lim Limits) (Call, error) {
	lim = lim.withDefaults()
	if len(data) > lim.MaxCallBytes {
		return Call{}, inputErr("", "call is %d bytes, limit is %d", len(data), lim.MaxCallBytes)
	}
	if !utf8.Valid(data) {
		return Call{}, inputErr("", "call is not valid UTF-8")
	}
	if err := checkStructure(data, lim.MaxDepth); err != nil {
		return Call{}, err
	}
	var call Call
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&call); err != nil {
		return Call{}, inputErr("", "%s", jsonReason(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Call{}, inputErr("", "trailing data after the call document")
	}
	if err := ValidateCall(call, lim); err != nil {
		return Call{}, err
	}
	return call, nil
}

// jsonReason turns a decoder error into a message that names the field
// without echoing attacker-controlled bytes at length.
func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	if ok := asTypeError(err, &te); ok {
		return fmt.Sprintf("field %q must be %s, not %s", te.Field, te.Type, te.Value)
	}
	msg := err.Error()
	const maxMsg = 200
	if len(msg) > maxMsg {
		msg = msg[:maxMsg] + "…"
	}
	return "malformed JSON: " + strings.TrimPrefix(msg, "json: ")
}

func asTypeError(err error, target **json.UnmarshalTypeError) bool {
	te, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = te
	}
	return ok
}

// checkStructure walks the JSON tokens once, before decoding, and refuses
// nesting deeper than max and duplicate object keys. Duplicates matter
// because decoders disagree on them: encoding/json keeps the last value, many
// others keep the first, so {"path": "/etc/shadow", "path": "notes.md"} could
// be checked as one path and executed as the other. Token reading is
// iterative, so a 10,000-deep document cannot exhaust the stack.
func checkStructure(data []byte, max int) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		keys      map[string]struct{}
		expectKey bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return inputErr("", "%s", jsonReason(err))
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if len(stack) >= max {
					return inputErr("", "nesting deeper than %d", max)
				}
				if top >= 0 && stack[top].keys != nil {
					stack[top].expectKey = true
				}
				f := frame{}
				if d == '{' {
					f = frame{keys: map[string]struct{}{}, expectKey: true}
				}
				stack = append(stack, f)
			default:
				stack = stack[:top]
				if top > 0 && stack[top-1].keys != nil {
					stack[top-1].expectKey = true
				}
			}
			continue
		}
		if top < 0 || stack[top].keys == nil {
			continue
		}
		if !stack[top].expectKey {
			stack[top].expectKey = true // a value; the next token is a key
			continue
		}
		key, _ := tok.(string)
		if _, dup := stack[top].keys[key]; dup {
			return inputErr("", "duplicate key %q", truncateKey(key))
		}
		stack[top].keys[key] = struct{}{}
		stack[top].expectKey = false
	}
}

// maxKeyEcho bounds how much of an attacker's key an error message repeats.
const maxKeyEcho = 64

func truncateKey(k string) string {
	if len(k) > maxKeyEcho {
		return k[:maxKeyEcho] + "…"
	}
	return k
}
