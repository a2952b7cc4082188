package redact

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
)

// wildcard matches every member of an object or element of an array in a
// dotted path ("arguments.items[*].token", "arguments.*.password").
const wildcard = "*"

// fallbackPath is redacted instead of a path that cannot be parsed: a
// malformed redact path is a policy bug, and redacting all arguments is the
// only choice that can neither leak the value it meant nor refuse the call.
var fallbackPath = []string{"tool", "arguments"}

// toolFields are the first segments of a dotted path that are relative to the
// tool, the convention of violation fields ("arguments.path").
var toolFields = map[string]bool{"arguments": true, "annotations": true, "name": true, "server": true}

var errBadPath = errors.New("redact: malformed path")

// ParsePath turns a redact path into segments from the root of the input
// document. Two syntaxes are accepted:
//   - dotted, as in violation fields: "arguments.headers.Authorization",
//     "arguments.items[2].token", "arguments.items[*]", "principal.id";
//     paths starting with arguments, annotations, name or server are relative
//     to input.tool;
//   - a JSON pointer rooted at the input document: "/tool/arguments/a.b",
//     for keys that contain dots or brackets.
//
// A leading "input." or "/input" is accepted and ignored.
func ParsePath(p string) ([]string, error) {
	var segs []string
	var err error
	if strings.HasPrefix(p, "/") {
		segs, err = parsePointer(p)
	} else {
		segs, err = parseDotted(p)
	}
	if err != nil {
		return nil, err
	}
	if len(segs) > 0 && segs[0] == "input" {
		segs = segs[1:]
	}
	if len(segs) == 0 {
		return nil, errBadPath
	}
	if toolFields[segs[0]] {
		segs = append([]string{"tool"}, segs...)
	}
	return segs, nil
}

func parsePointer(p string) ([]string, error) {
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		parts[i] = unescapePointer(s)
	}
	return parts, nil
}

func parseDotted(p string) ([]string, error) {
	var segs []string
	for _, part := range strings.Split(p, ".") {
		name, rest, bracket := strings.Cut(part, "[")
		if (name == "" && rest == "") || (bracket && rest == "") {
			return nil, errBadPath
		}
		if name != "" {
			segs = append(segs, name)
		}
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			if !ok || !validIndex(idx) {
				return nil, errBadPath
			}
			segs = append(segs, idx)
			if after == "" {
				break
			}
			if !strings.HasPrefix(after, "[") {
				return nil, errBadPath
			}
			rest = after[1:]
		}
	}
	return segs, nil
}

func validIndex(s string) bool {
	if s == wildcard {
		return true
	}
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0
}

// Paths redacts the value at every path in root (the input document, a deep
// copy), recording pointers prefixed with base (e.g. "/input").
func (r *Redactor) Paths(root map[string]any, paths []string, base string, rep *Report) {
	for _, p := range paths {
		segs, err := ParsePath(p)
		if err != nil {
			segs = fallbackPath
		}
		r.walk(root, segs, base, rep)
	}
}

func (r *Redactor) walk(node any, segs []string, ptr string, rep *Report) {
	seg, last := segs[0], len(segs) == 1
	switch n := node.(type) {
	case map[string]any:
		for _, k := range memberKeys(n, seg) {
			p := ptr + "/" + EscapePointer(k)
			if last {
				r.redactMember(n, k, p, rep)
			} else {
				r.walk(n[k], segs[1:], p, rep)
			}
		}
	case []any:
		for _, i := range elementIndexes(n, seg) {
			p := ptr + "/" + strconv.Itoa(i)
			if last {
				r.redactElement(n, i, p, rep)
			} else {
				r.walk(n[i], segs[1:], p, rep)
			}
		}
	}
}

func memberKeys(m map[string]any, seg string) []string {
	if seg != wildcard {
		if _, ok := m[seg]; ok {
			return []string{seg}
		}
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func elementIndexes(a []any, seg string) []int {
	if seg != wildcard {
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(a) {
			return nil
		}
		return []int{i}
	}
	out := make([]int, len(a))
	for i := range a {
		out[i] = i
	}
	return out
}

func (r *Redactor) redactMember(m map[string]any, k, ptr string, rep *Report) {
	if _, done := m[k].(Sealed); done {
		return
	}
	if r.mode == Erase {
		delete(m, k)
	} else {
		m[k] = r.seal(m[k])
	}
	rep.add(r.mode, ptr)
}

func (r *Redactor) redactElement(a []any, i int, ptr string, rep *Report) {
	if _, done := a[i].(Sealed); done {
		return
	}
	if r.mode == Erase {
		a[i] = nil
	} else {
		a[i] = r.seal(a[i])
	}
	rep.add(r.mode, ptr)
}

// seal masks a whole value. A string is keyed by its own bytes, so a secret
// redacted by path and the same secret found by the detector mask alike; any
// other value by its encoding/json bytes (object keys sorted).
func (r *Redactor) seal(v any) Sealed {
	var b []byte
	if s, ok := v.(string); ok {
		b = []byte(s)
	} else {
		enc, err := json.Marshal(v)
		if err != nil {
			enc = []byte(err.Error())
		}
		b = enc
	}
	return Sealed(hmacValuePrefix + r.mac(b))
}

// EscapePointer escapes one JSON pointer reference token (RFC 6901).
func EscapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func unescapePointer(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}
