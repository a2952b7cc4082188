package engine

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidateCall checks a call built in Go (or decoded by ParseCall) against
// lim: names present and printable, strings valid UTF-8 and bounded, argument
// nesting and size bounded, only JSON value types, no object keys that differ
// only in case.
func ValidateCall(call Call, lim Limits) error {
	lim = lim.withDefaults()
	if err := checkName("tool.name", call.Tool.Name, lim, true); err != nil {
		return err
	}
	if err := checkName("tool.server", call.Tool.Server, lim, false); err != nil {
		return err
	}
	if err := checkName("principal.id", call.Principal.ID, lim, false); err != nil {
		return err
	}
	if err := checkName("principal.tenant", call.Principal.Tenant, lim, false); err != nil {
		return err
	}
	for i, r := range call.Principal.Roles {
		if err := checkName("principal.roles["+strconv.Itoa(i)+"]", r, lim, true); err != nil {
			return err
		}
	}
	if err := checkContext(call, lim); err != nil {
		return err
	}
	w := walker{lim: lim}
	if err := w.walk("tool.arguments", map[string]any(call.Tool.Arguments), 1); err != nil {
		return err
	}
	return w.walk("tool.annotations", map[string]any(call.Tool.Annotations), 1)
}

// checkContext holds the session and request fields to the rules of names:
// they reach the policies, the rate-limit keys and the audit log just as
// principal and tool names do, so a session id such as "s\x00\x1b[2J" must
// not slip through where a principal id like it would be refused.
func checkContext(call Call, lim Limits) error {
	if s := call.Session; s != nil {
		for _, f := range [...]struct{ field, value string }{
			{"session.id", s.ID}, {"session.agent", s.Agent}, {"session.model", s.Model},
		} {
			if err := checkName(f.field, f.value, lim, false); err != nil {
				return err
			}
		}
	}
	if r := call.Request; r != nil {
		for _, f := range [...]struct{ field, value string }{
			{"request.id", r.ID}, {"request.time", r.Time}, {"request.source", r.Source},
		} {
			if err := checkName(f.field, f.value, lim, false); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkName(field, s string, lim Limits, required bool) error {
	switch {
	case s == "" && required:
		return inputErr(field, "is required")
	case len(s) > lim.MaxNameBytes:
		return inputErr(field, "is %d bytes, limit is %d", len(s), lim.MaxNameBytes)
	case !utf8.ValidString(s):
		return inputErr(field, "is not valid UTF-8")
	case strings.ContainsFunc(s, isControl):
		return inputErr(field, "contains a control character")
	case strings.ContainsFunc(s, unicode.IsControl), strings.ContainsFunc(s, isFormat):
		return inputErr(field, "contains an invisible or format character")
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// isFormat: Unicode format characters (zero-width space and joiners, the
// byte-order mark, bidi overrides) are invisible or reorder text. In a name
// they make "\u200b" a non-blank principal id and let "\u202eecila" show
// as alice in a log.
func isFormat(r rune) bool { return unicode.Is(unicode.Cf, r) }

type walker struct {
	lim   Limits
	items int
}

func (w *walker) walk(field string, v any, depth int) error {
	if depth > w.lim.MaxDepth {
		return inputErr(field, "nesting deeper than %d", w.lim.MaxDepth)
	}
	switch x := v.(type) {
	case string:
		return w.str(field, x)
	case map[string]any:
		return w.object(field, x, depth)
	case []any:
		return w.array(field, x, depth)
	case []string:
		for i, s := range x {
			if err := w.str(field+"["+strconv.Itoa(i)+"]", s); err != nil {
				return err
			}
		}
		return w.count(field, len(x))
	default:
		// Every other value must be a leaf that toTerm can turn into a
		// policy term: the same function decides both, so a call this walk
		// accepts never fails later when its input document is built.
		if _, err := scalarTerm(v); err != nil {
			return inputErr(field, "%v", err)
		}
		return nil
	}
}

func (w *walker) object(field string, m map[string]any, depth int) error {
	if err := w.count(field, len(m)); err != nil {
		return err
	}
	if err := caseVariants(field, m); err != nil {
		return err
	}
	for k, v := range m {
		if err := w.str(field+" key", k); err != nil {
			return err
		}
		if err := w.walk(field+"."+k, v, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// caseVariants refuses an object with two keys that differ only in case
// (see checkStructure): a map built in Go never has duplicate keys, but it
// can have case variants. When there are several such pairs, the least one
// is named, so the message does not depend on map iteration order.
func caseVariants(field string, m map[string]any) error {
	if len(m) < 2 {
		return nil
	}
	seen := make(map[string]string, len(m))
	var a, b string
	found := false
	for k := range m {
		fold := foldKey(k)
		prev, dup := seen[fold]
		if !dup {
			seen[fold] = k
			continue
		}
		x, y := min(prev, k), max(prev, k)
		if !found || x < a || x == a && y < b {
			a, b, found = x, y, true
		}
		seen[fold] = min(prev, k)
	}
	if !found {
		return nil
	}
	return caseVariantErr(field, a, b)
}

func (w *walker) array(field string, a []any, depth int) error {
	if err := w.count(field, len(a)); err != nil {
		return err
	}
	for i, v := range a {
		if err := w.walk(field+"["+strconv.Itoa(i)+"]", v, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) count(field string, n int) error {
	w.items += n
	if w.items > w.lim.MaxKeys {
		return inputErr(field, "more than %d keys and items in the call", w.lim.MaxKeys)
	}
	return nil
}

func (w *walker) str(field, s string) error {
	if len(s) > w.lim.MaxStringBytes {
		return inputErr(field, "string is %d bytes, limit is %d", len(s), w.lim.MaxStringBytes)
	}
	if !utf8.ValidString(s) {
		return inputErr(field, "string is not valid UTF-8")
	}
	return nil
}
