package facts

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Bounds of ScanSecrets, per call. When one is reached the rest is reported
// as SecretUnscanned instead of being silently skipped: a policy treats it
// as a possible secret and the redactor removes it (fail closed).
const (
	maxSecretScanBytes = 1 << 20 // bytes of keys and strings scanned
	maxSecretHits      = 256
	maxSecretDepth     = 64 // nesting of objects and arrays
)

// SecretHit is one credential in a call's arguments. Field is the JSON path
// of the string holding it (arguments.headers.Authorization,
// arguments.items[2]). A credential inside an object key is reported at the
// object's path, and so is everything below that key: a path must never
// carry the secret itself into a violation or an audit record.
type SecretHit struct {
	Field string
	Kind  string
}

// ScanSecrets scans every string and object key in args, at any depth.
// Hits are ordered by field (object keys sorted) and unique per field and kind.
func ScanSecrets(args map[string]any) []SecretHit {
	sc := secretScanner{budget: maxSecretScanBytes, frozen: -1}
	sc.object(args, 0)
	return sc.hits
}

// pathSeg is one step of a field path; the path is only rendered to a
// string when there is a hit, keeping clean arguments allocation-free.
type pathSeg struct {
	key   string
	index int // -1 for an object key
}

type secretScanner struct {
	path   []pathSeg
	frozen int // path length hits are reported at, -1 when not frozen
	budget int
	hits   []SecretHit
	full   bool // maxSecretHits reached: stop
}

func (sc *secretScanner) value(v any, depth int) {
	if sc.full {
		return
	}
	if depth > maxSecretDepth {
		sc.hit(SecretUnscanned)
		return
	}
	switch x := v.(type) {
	case string:
		sc.text(x)
		sc.embeddedJSON(x, depth)
	case map[string]any:
		sc.object(x, depth+1)
	case []any:
		for i, e := range x {
			sc.path = append(sc.path, pathSeg{index: i})
			sc.value(e, depth+1)
			sc.path = sc.path[:len(sc.path)-1]
		}
	}
}

func (sc *secretScanner) object(m map[string]any, depth int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		unfreeze := false
		// keys are scanned inside a frozen subtree too (a document embedded
		// in a string freezes without a hit); hits land at the frozen path
		if sc.scanKey(k) && sc.frozen < 0 {
			sc.frozen, unfreeze = len(sc.path), true
		}
		sc.path = append(sc.path, pathSeg{key: k, index: -1})
		if s, ok := m[k].(string); ok && sensitiveKey(k) && isCredentialValue(s) {
			sc.hit(keyedSecretKind(k, s))
		}
		sc.value(m[k], depth)
		sc.path = sc.path[:len(sc.path)-1]
		if unfreeze {
			sc.frozen = -1
		}
	}
}

// scanKey scans an object key, reporting hits at the object's path.
func (sc *secretScanner) scanKey(k string) bool {
	if !sc.spend(len(k)) {
		return true // unscanned key: keep its text out of paths too
	}
	ms := FindSecrets(k)
	for _, m := range ms {
		sc.hit(m.Kind)
	}
	return len(ms) > 0
}

func (sc *secretScanner) text(s string) {
	scan := s
	if len(s) > sc.budget {
		scan = s[:sc.budget]
	}
	sc.budget -= len(scan)
	for _, m := range FindSecrets(scan) {
		sc.hit(m.Kind)
	}
	if len(scan) < len(s) {
		sc.hit(SecretUnscanned)
	}
}

// embeddedJSON scans again, decoded, a string that is a JSON document
// with escapes (a request body): "\u0067hs_…" is a GitHub token once
// decoded. Hits are reported at the string's own field; the decoded text
// spends the same budget, which bounds documents nested in documents.
func (sc *secretScanner) embeddedJSON(s string, depth int) {
	if strings.IndexByte(s, '\\') < 0 || sc.budget == 0 {
		return
	}
	t := strings.TrimLeft(s, " \t\r\n")
	if t == "" || (t[0] != '{' && t[0] != '[' && t[0] != '"') {
		return
	}
	var v any
	if err := json.Unmarshal([]byte(t), &v); err != nil { // invalid JSON is left alone
		return
	}
	if sc.frozen < 0 {
		sc.frozen = len(sc.path) // keys inside are not fields of the call
		defer func() { sc.frozen = -1 }()
	}
	sc.value(v, depth+1)
}

// spend takes n bytes from the budget; false (and an unscanned hit) when
// they are not there.
func (sc *secretScanner) spend(n int) bool {
	if n > sc.budget {
		sc.budget = 0
		sc.hit(SecretUnscanned)
		return false
	}
	sc.budget -= n
	return true
}

func (sc *secretScanner) hit(kind string) {
	if sc.full {
		return
	}
	field := sc.render()
	for i := len(sc.hits) - 1; i >= 0 && sc.hits[i].Field == field; i-- {
		if sc.hits[i].Kind == kind {
			return
		}
	}
	if len(sc.hits) == maxSecretHits-1 {
		sc.hits = append(sc.hits, SecretHit{Field: argumentsRoot, Kind: SecretUnscanned})
		sc.full = true
		return
	}
	sc.hits = append(sc.hits, SecretHit{Field: field, Kind: kind})
}

func (sc *secretScanner) render() string {
	segs := sc.path
	if sc.frozen >= 0 {
		segs = segs[:sc.frozen]
	}
	var b strings.Builder
	b.WriteString(argumentsRoot)
	for _, s := range segs {
		if s.index >= 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		b.WriteString(fieldPath("", s.key))
	}
	return b.String()
}

func secretsTerm(hits []SecretHit) *ast.Term {
	ts := make([]*ast.Term, len(hits))
	for i, h := range hits {
		ts[i] = ast.ObjectTerm(ast.Item(keyField, ast.StringTerm(h.Field)), ast.Item(keyKind, ast.StringTerm(h.Kind)))
	}
	return ast.ArrayTerm(ts...)
}
