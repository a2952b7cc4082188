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
// no precision is lost. The raw bytes are checked for size, valid UTF-8 and
// nesting depth before any allocation proportional to them.
func ParseCall(data []byte, lim Limits) (Call, error) {
	lim = lim.withDefaults()
	if len(data) > lim.MaxCallBytes {
		return Call{}, inputErr("", "call is %d bytes, limit is %d", len(data), lim.MaxCallBytes)
	}
	if !utf8.Valid(data) {
		return Call{}, inputErr("", "call is not valid UTF-8")
	}
	if err := checkDepth(data, lim.MaxDepth); err != nil {
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

// checkDepth scans JSON text for nesting deeper than max, outside strings.
// It runs before decoding so a 10,000-deep document costs one linear pass.
func checkDepth(data []byte, max int) error {
	depth, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > max {
				return inputErr("", "nesting deeper than %d", max)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}
