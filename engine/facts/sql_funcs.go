package facts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// maxSQLFunctions bounds the distinct function names of one statement in
// one reading; a statement calling more fails the fact (fail closed).
const maxSQLFunctions = 64

// notFunctions are keywords a '(' follows without a call: IN (…), AS (…).
var notFunctions = map[string]bool{
	"in": true, "exists": true, "values": true, "as": true, "on": true, "and": true, "or": true,
	"not": true, "using": true, "over": true, "from": true, "join": true, "into": true, "where": true,
	"select": true, "any": true, "all": true, "some": true, "is": true, "then": true, "else": true,
	"when": true, "filter": true, "within": true, "lateral": true, "with": true, "array": true,
	"row": true, "by": true, "union": true, "intersect": true, "except": true, "returning": true,
	"set": true, "having": true, "between": true, "like": true, "ilike": true, "distinct": true,
	"explain": true, "materialized": true, "cast": true,
}

// calledFunctions returns the lower-cased names of the functions toks call,
// each once: a name directly before '(' (spaces and comments aside), the
// last part of a qualified name (public.dblink_exec), a quoted name
// unquoted ("dblink_exec", `sys_exec`, U&"\0064blink_exec"). Keywords of
// notFunctions are left out; other names before '(' (INSERT INTO t (…),
// varchar(20)) are kept: the list is a superset of the calls.
func calledFunctions(src string, toks []sqlTok) ([]string, error) {
	var names []string
	for j := 1; j < len(toks); j++ {
		if !isPunct(src, toks[j], '(') {
			continue
		}
		name, ok := functionName(src, toks, j-1)
		if !ok || slices.Contains(names, name) {
			continue
		}
		if len(names) == maxSQLFunctions {
			return nil, sqlBoundError(fmt.Sprintf("more than %d functions in one statement", maxSQLFunctions))
		}
		names = append(names, name)
	}
	return names, nil
}

// functionName is the name ending at toks[i], before a '('.
func functionName(src string, toks []sqlTok, i int) (string, bool) {
	t := toks[i]
	switch {
	case t.kind == tokWord:
		name := lowerWord(src, t)
		return name, !notFunctions[name] && isSQLIdentStart(name[0])
	case t.kind == tokIdent:
		return strings.ToLower(identName(src, toks, i, '\\')), true
	case t.kind == tokString && i >= 2 && isWord(src, toks[i-1], "uescape") && toks[i-2].kind == tokIdent:
		// U&"d!0062link_exec" UESCAPE '!' (…)
		if esc := stringBody(tokText(src, t)); len(esc) == 1 {
			return strings.ToLower(identName(src, toks, i-2, esc[0])), true
		}
	}
	return "", false
}

// identName is the name of the quoted identifier toks[i], its \XXXX and
// \+XXXXXX escapes decoded when it is a PostgreSQL U&"…" (esc for \).
func identName(src string, toks []sqlTok, i int, esc byte) string {
	t := toks[i]
	name := stringBody(tokText(src, t))
	if i < 2 || src[t.start] != '"' || !isPunct(src, toks[i-1], '&') || toks[i-1].end != t.start ||
		!isWord(src, toks[i-2], "u") || toks[i-2].end != toks[i-1].start {
		return name
	}
	return decodeUnicodeEscapes(name, esc)
}

// decodeUnicodeEscapes decodes the escapes of a U&"…" identifier; a
// malformed one is kept as it is.
func decodeUnicodeEscapes(s string, esc byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != esc {
			b.WriteByte(s[i])
			continue
		}
		n, skip := 4, 1
		switch {
		case i+1 < len(s) && s[i+1] == esc:
			b.WriteByte(esc)
			i++
			continue
		case i+1 < len(s) && s[i+1] == '+':
			n, skip = 6, 2
		}
		if i+skip+n <= len(s) {
			if r, err := strconv.ParseUint(s[i+skip:i+skip+n], 16, 32); err == nil {
				b.WriteRune(rune(r))
				i += skip + n - 1
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
