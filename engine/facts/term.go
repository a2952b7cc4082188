package facts

import (
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Object keys are built once and shared: facts are built for every call, and
// OPA treats input terms as immutable, so sharing is safe.
var (
	keyOK      = ast.StringTerm("ok")
	keyError   = ast.StringTerm("error")
	keyPaths   = ast.StringTerm("paths")
	keyURLs    = ast.StringTerm("urls")
	keyShell   = ast.StringTerm("shell")
	keySQL     = ast.StringTerm("sql")
	keyEmails  = ast.StringTerm("emails")
	keySecrets = ast.StringTerm("secrets")
	keyField   = ast.StringTerm("field")
	keyKind    = ast.StringTerm("kind")
)

var (
	termTrue  = ast.BooleanTerm(true)
	termFalse = ast.BooleanTerm(false)
	termEmpty = ast.StringTerm("")
)

func boolTerm(b bool) *ast.Term {
	if b {
		return termTrue
	}
	return termFalse
}

func strTerm(s string) *ast.Term {
	if s == "" {
		return termEmpty
	}
	return ast.StringTerm(s)
}

// failTerm is the fact of an argument that could not be parsed. It carries
// nothing else: a half-parsed fact must not look usable to a policy.
func failTerm(msg string) *ast.Term {
	return ast.ObjectTerm(ast.Item(keyOK, termFalse), ast.Item(keyError, ast.StringTerm(msg)))
}

func stringsArray(ss []string) *ast.Term {
	ts := make([]*ast.Term, len(ss))
	for i, s := range ss {
		ts[i] = strTerm(s)
	}
	return ast.ArrayTerm(ts...)
}

func stringsSet(ss []string) *ast.Term {
	ts := make([]*ast.Term, len(ss))
	for i, s := range ss {
		ts[i] = strTerm(s)
	}
	return ast.SetTerm(ts...)
}

// fieldPath appends one object key to a field path. Keys made of letters,
// digits, '_' and '-' are appended as .key (arguments.headers.X-Api-Key);
// any other key as a JSON-quoted index (arguments["a.b"]) so the path stays
// unambiguous for the audit redactor.
func fieldPath(parent, key string) string {
	if isPlainKey(key) {
		return parent + "." + key
	}
	return parent + "[" + strconv.Quote(key) + "]"
}

func isPlainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// isASCII reports whether s has only 7-bit bytes; the unicode handling of
// several builders is skipped entirely for such text.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// lowerASCII lower-cases ASCII letters without allocating when there are none.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}
