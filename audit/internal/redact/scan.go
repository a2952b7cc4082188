package redact

import (
	"sort"
	"strconv"
	"strings"
)

// Scan runs the detector over every string value and every object key in
// node (a deep copy), replacing each secret in place. base is the pointer of
// node. It returns the possibly replaced node: a top-level string cannot be
// changed in place.
func (r *Redactor) Scan(node any, base string, rep *Report) any {
	if r.detect == nil {
		return node
	}
	w := walker{r: r, base: base, rep: rep}
	return w.scan(node)
}

// walker keeps the path to the current node as reference tokens and builds
// a pointer string only for a node it redacts: most nodes hold no secret.
type walker struct {
	r    *Redactor
	base string
	rep  *Report
	toks []string
}

func (w *walker) pointer() string {
	var b strings.Builder
	b.WriteString(w.base)
	for _, t := range w.toks {
		b.WriteByte('/')
		b.WriteString(EscapePointer(t))
	}
	return b.String()
}

func (w *walker) scan(node any) any {
	switch n := node.(type) {
	case string:
		if s, changed := w.r.text(n); changed {
			w.rep.add(w.r.mode, w.pointer())
			return s
		}
	case map[string]any:
		w.scanMap(n)
	case []any:
		for i, e := range n {
			w.toks = append(w.toks, strconv.Itoa(i))
			n[i] = w.scan(e)
			w.toks = w.toks[:len(w.toks)-1]
		}
	}
	return node
}

// scanMap scans the values in place, then renames the keys that hold a
// secret. A renamed key's value is scanned under its new name, so no pointer
// ever names a secret key. Renames go in sorted order, so which of two
// colliding keys gets the "#2" suffix does not depend on map iteration.
func (w *walker) scanMap(m map[string]any) {
	var renamed []string
	for k, v := range m {
		if _, changed := w.r.text(k); changed {
			renamed = append(renamed, k)
			continue
		}
		w.member(m, k, k, v)
	}
	sort.Strings(renamed)
	for _, k := range renamed {
		v := m[k]
		delete(m, k)
		nk, _ := w.r.text(k)
		nk = freeKey(m, nk)
		w.toks = append(w.toks, nk)
		w.rep.add(w.r.mode, w.pointer())
		w.toks = w.toks[:len(w.toks)-1]
		w.member(m, k, nk, v)
	}
}

// member scans v, the value of old key k, and stores it under key nk when
// the key was renamed or a string value was replaced (maps and arrays are
// changed in place).
func (w *walker) member(m map[string]any, k, nk string, v any) {
	w.toks = append(w.toks, nk)
	nv := w.scan(v)
	w.toks = w.toks[:len(w.toks)-1]
	if k != nk || replaced(v, nv) {
		m[nk] = nv
	}
}

func replaced(old, cur any) bool {
	o, ok := old.(string)
	c, ok2 := cur.(string)
	return ok && ok2 && o != c
}

// Text redacts the secrets in one string that is not part of a tree (an error
// or violation message); ptr is its pointer in the event.
func (r *Redactor) Text(s, ptr string, rep *Report) string {
	if r.detect == nil {
		return s
	}
	out, changed := r.text(s)
	if changed {
		rep.add(r.mode, ptr)
	}
	return out
}

// String redacts the secrets in s and reports whether there were any; the
// caller records the pointer with Mark.
func (r *Redactor) String(s string) (string, bool) {
	if r.detect == nil {
		return s, false
	}
	return r.text(s)
}

// Mark records that the value at ptr was redacted in this mode.
func (r *Redactor) Mark(rep *Report, ptr string) { rep.add(r.mode, ptr) }

// Finish redacts secrets from the pointers of rep (a wildcard redact path
// records the keys it met, and a key may itself be a secret), then sorts
// them so the event bytes do not depend on map iteration.
func (r *Redactor) Finish(rep *Report) {
	for i, p := range rep.Erased {
		rep.Erased[i] = r.pointer(p)
	}
	for i, p := range rep.Masked {
		rep.Masked[i] = r.pointer(p)
	}
	rep.Sort()
}

func (r *Redactor) pointer(p string) string {
	if r.detect == nil {
		return p
	}
	toks := strings.Split(p, "/")
	for i, t := range toks {
		if out, changed := r.text(unescapePointer(t)); changed {
			toks[i] = EscapePointer(out)
		}
	}
	return strings.Join(toks, "/")
}

// freeKey returns k, or k with a "#n" suffix when an object already has k:
// two different secret keys can erase to the same marker.
func freeKey(m map[string]any, k string) string {
	if _, taken := m[k]; !taken {
		return k
	}
	for n := 2; ; n++ {
		c := k + "#" + strconv.Itoa(n)
		if _, taken := m[c]; !taken {
			return c
		}
	}
}
