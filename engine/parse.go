package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
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
// and their structure for depth, duplicate keys and keys that differ only in
// case, before decoding.
func ParseCall(data []byte, lim Limits) (Call, error) {
	lim = lim.withDefaults()
	if len(data) > lim.MaxCallBytes {
		return Call{}, inputErr("", "call is %d bytes, limit is %d", len(data), lim.MaxCallBytes)
	}
	if !utf8.Valid(data) {
		return Call{}, inputErr("", "call is not valid UTF-8")
	}
	if err := checkStructure(data, lim.MaxDepth, true); err != nil {
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

// DecodeArguments decodes the raw JSON arguments of one tool call, as a
// gateway receives them, the way ParseCall decodes a call document: bounded
// size, valid UTF-8, bounded nesting, no duplicate keys and no keys that
// differ only in case (checkStructure), numbers kept as json.Number, and
// nothing after the object. JSON null yields nil arguments; any other value
// that is not an object is refused. Every error wraps ErrInvalidInput. The
// result still goes through ValidateCall (string and item bounds) when the
// call is checked.
func DecodeArguments(raw []byte, lim Limits) (map[string]any, error) {
	const field = "arguments"
	lim = lim.withDefaults()
	if len(raw) > lim.MaxCallBytes {
		return nil, inputErr(field, "are %d bytes, limit is %d", len(raw), lim.MaxCallBytes)
	}
	if !utf8.Valid(raw) {
		return nil, inputErr(field, "are not valid UTF-8")
	}
	if err := checkStructure(raw, lim.MaxDepth, true); err != nil {
		var ie *InputError
		if errors.As(err, &ie) && ie.Field == "" {
			return nil, &InputError{Field: field, Reason: ie.Reason}
		}
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, inputErr(field, "%s", jsonReason(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, inputErr(field, "trailing data after the arguments")
	}
	if v == nil {
		return nil, nil
	}
	args, ok := v.(map[string]any)
	if !ok {
		return nil, inputErr(field, "must be a JSON object")
	}
	return args, nil
}

// CheckUniqueKeys refuses a JSON document with a key twice in one object,
// at any depth, for documents that are passed on as sent (a tool result): a
// decoder keeps the last value, a client or a log may keep the first, which
// no rule judged. Keys that differ only in case are distinct here, and
// nesting is not bounded. Errors wrap ErrInvalidInput.
func CheckUniqueKeys(data []byte) error {
	return checkStructure(data, math.MaxInt, false)
}

// checkStructure walks the JSON tokens once, before decoding, and refuses
// nesting deeper than max, duplicate object keys and object keys that differ
// only in case. Duplicates matter because decoders disagree on them:
// encoding/json keeps the last value, many others keep the first, so
// {"path": "/etc/shadow", "path": "notes.md"} could be checked as one path
// and executed as the other. Case variants matter because encoding/json
// matches keys to struct fields case-insensitively: an application decoding
// {"url": A, "URL": B} into a struct may read B while the policies judged A.
// Token reading is iterative, so a 10,000-deep document cannot exhaust the
// stack. With fold false only exact duplicates are refused.
func checkStructure(data []byte, max int, fold bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		keys      map[string]string // folded key -> key as sent
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
					f = frame{keys: map[string]string{}, expectKey: true}
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
		folded := key
		if fold {
			folded = foldKey(key)
		}
		if prev, seen := stack[top].keys[folded]; seen {
			if prev == key {
				return inputErr("", "duplicate key %q", truncateKey(key))
			}
			return caseVariantErr("", prev, key)
		}
		stack[top].keys[folded] = key
		stack[top].expectKey = false
	}
}

// caseVariantErr refuses two keys of one object that differ only in case.
// The pair is named in sorted order, so the message does not depend on the
// order the keys were sent or iterated in.
func caseVariantErr(field, a, b string) error {
	a, b = min(a, b), max(a, b)
	return inputErr(field, "keys %q and %q differ only in case", truncateKey(a), truncateKey(b))
}

// foldKey maps every rune to the smallest rune of its Unicode simple
// case-folding orbit, so foldKey(a) == foldKey(b) exactly when
// strings.EqualFold(a, b), which is how encoding/json matches object keys to
// struct fields.
func foldKey(s string) string {
	return strings.Map(foldRune, s)
}

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		// Every ASCII letter's orbit is least at its upper case (the orbits
		// of k and s also hold U+212A and U+017F, which are larger).
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// maxKeyEcho bounds how much of an attacker's key an error message repeats.
const maxKeyEcho = 64

func truncateKey(k string) string {
	if len(k) > maxKeyEcho {
		return k[:maxKeyEcho] + "…"
	}
	return k
}
