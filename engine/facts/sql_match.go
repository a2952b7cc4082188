package facts

import "strings"

// in evaluates a IN (x, y, …): true when some element equals a.
func (e *whereEval) in(a, list []sqlTok, d int32, nest int) truth {
	src := e.src
	if !enclosed(src, list, d) {
		return truthUnknown
	}
	x, okX := e.constValue(a, d, nest)
	col := isColumn(src, a)
	start := 1
	for j := 1; j < len(list); j++ {
		if list[j].depth != d+1 || (!isPunct(src, list[j], ',') && j < len(list)-1) {
			continue
		}
		elem := list[start:j]
		if col && sameColumn(src, a, elem) {
			return truthTrue
		}
		if y, ok := e.constValue(elem, d+1, nest+1); ok && okX && compareValues(x, "=", y) == truthTrue {
			return truthTrue
		}
		start = j + 1
	}
	return truthUnknown
}

// like evaluates a LIKE pattern: a constant that matches (case aside,
// as MySQL compares), or any column against a pattern made of % only.
func (e *whereEval) like(a, b []sqlTok, d int32, nest int) truth {
	src := e.src
	p, ok := e.constValue(b, d, nest)
	if !ok || p.kind != valStr {
		return truthUnknown
	}
	if strings.Trim(p.str, "%") == "" && p.str != "" && isColumn(src, a) {
		return truthTrue
	}
	x, ok := e.constValue(a, d, nest)
	if !ok || x.kind == valNull {
		return truthUnknown
	}
	return boolTruth(likeMatch(strings.ToLower(x.text()), strings.ToLower(p.str)))
}

// isColumn reports a column reference: names joined by dots (id, t.id,
// "t"."id"), none of them TRUE, FALSE or NULL.
func isColumn(src string, toks []sqlTok) bool {
	if len(toks)%2 == 0 {
		return false
	}
	for i, t := range toks {
		if _, ok := columnName(src, t); (i%2 == 0 && !ok) || (i%2 == 1 && !isPunct(src, t, '.')) {
			return false
		}
	}
	return true
}

// columnName is the name a token gives a column: an unquoted name
// lower-cased (folded by PostgreSQL, compared without case by MySQL), a
// `name` likewise (MySQL), a "name" as it is.
func columnName(src string, t sqlTok) (string, bool) {
	s := tokText(src, t)
	switch {
	case t.kind == tokIdent && s[0] == '"':
		return stringBody(s), true
	case t.kind == tokIdent:
		return strings.ToLower(stringBody(s)), true
	case t.kind == tokWord && isSQLIdentStart(s[0]) && !isWord(src, t, "true") && !isWord(src, t, "false") && !isWord(src, t, "null"):
		return strings.ToLower(s), true
	}
	return "", false
}

// sameColumn reports two references to the same column (a.id and A.ID).
func sameColumn(src string, a, b []sqlTok) bool {
	if len(a) != len(b) || !isColumn(src, a) || !isColumn(src, b) {
		return false
	}
	for i := 0; i < len(a); i += 2 {
		x, _ := columnName(src, a[i])
		y, _ := columnName(src, b[i])
		if x != y {
			return false
		}
	}
	return true
}

// maxLikeBytes bounds the constant strings likeMatch compares; longer ones
// count as matching (a constant is no filter: fail closed).
const maxLikeBytes = 4096

// likeMatch reports whether s matches the LIKE pattern p: % any run, _ one
// character, \ escapes the next one.
func likeMatch(s, p string) bool {
	if len(s)+len(p) > maxLikeBytes {
		return true
	}
	str, pat := []rune(s), []rune(p)
	si, pi, star, mark := 0, 0, -1, 0
	for si < len(str) {
		if pi < len(pat) {
			switch c := pat[pi]; {
			case c == '%':
				star, mark = pi, si
				pi++
				continue
			case c == '\\' && pi+1 < len(pat):
				if pat[pi+1] == str[si] {
					si, pi = si+1, pi+2
					continue
				}
			case c == '_' || c == str[si]:
				si, pi = si+1, pi+1
				continue
			}
		}
		if star < 0 {
			return false
		}
		mark++
		si, pi = mark, star+1
	}
	for pi < len(pat) && pat[pi] == '%' {
		pi++
	}
	return pi == len(pat)
}
