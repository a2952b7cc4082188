package facts

import "strings"

// Kinds of statements that put code or principals into the server.
const (
	kindCreateRole      = "create_role"               // CREATE ROLE | USER | GROUP | LOGIN
	kindCreateExtension = "create_extension"          // CREATE EXTENSION | LANGUAGE
	kindCreateUntrusted = "create_untrusted_function" // CREATE FUNCTION … LANGUAGE plpython3u | c, or SONAME
	kindLoadLibrary     = "load_library"              // LOAD 'library' (PostgreSQL)
)

// loadKeywords follow MySQL's LOAD, which loads data, not code.
var loadKeywords = map[string]bool{"data": true, "xml": true, "index": true}

// createModifiers may sit between CREATE and the kind of object created.
var createModifiers = map[string]bool{
	"or": true, "replace": true, "temp": true, "temporary": true, "trusted": true, "procedural": true,
	"global": true, "local": true, "unlogged": true,
}

// createKind is the kind of the CREATE statement whose object keyword
// search starts at toks[i]: creating a principal or installing code has a
// kind of its own, any other CREATE is create.
func createKind(src string, toks []sqlTok, i int, d int32) string {
	for i < len(toks) && toks[i].kind == tokWord && createModifiers[lowerWord(src, toks[i])] {
		i++
	}
	if i < len(toks) && toks[i].kind == tokWord {
		switch lowerWord(src, toks[i]) {
		case "role", "group", "login":
			return kindCreateRole
		case "user":
			if i+1 == len(toks) || !isWord(src, toks[i+1], "mapping") {
				return kindCreateRole
			}
		case "extension", "language":
			return kindCreateExtension
		}
	}
	if untrustedCode(src, toks, i, d) {
		return kindCreateUntrusted
	}
	return "create"
}

// untrustedCode reports, at depth d from toks[i], LANGUAGE followed by a
// language that runs unrestricted code (c, internal, plpython3u, plperlu,
// pltclu, plsh, plr, …) or MySQL's SONAME 'library.so'.
func untrustedCode(src string, toks []sqlTok, i int, d int32) bool {
	for j := i; j+1 < len(toks); j++ {
		if toks[j].depth != d {
			continue
		}
		next := toks[j+1]
		if isWord(src, toks[j], "soname") && next.kind == tokString {
			return true
		}
		if isWord(src, toks[j], "language") && untrustedLanguage(src, next) {
			return true
		}
	}
	return false
}

func untrustedLanguage(src string, t sqlTok) bool {
	var name string
	switch t.kind {
	case tokWord:
		name = lowerWord(src, t)
	case tokIdent, tokString:
		name = strings.ToLower(stringBody(tokText(src, t)))
	default:
		return false
	}
	switch name {
	case "c", "internal", "plsh", "plr":
		return true
	}
	return strings.HasPrefix(name, "pl") && strings.HasSuffix(name, "u")
}
