package facts

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Kinds of constant values in a condition.
const (
	valNull uint8 = iota
	valBool
	valNum
	valStr
)

// sqlValue is a constant of a condition.
type sqlValue struct {
	kind uint8
	num  float64 // valBool (1 or 0) and valNum
	str  string  // valStr, and the literal of a valNum
}

var valTrue = sqlValue{kind: valBool, num: 1}

// pgBools are the strings PostgreSQL reads as booleans.
var pgBools = map[string]bool{
	"t": true, "tr": true, "tru": true, "true": true, "y": true, "ye": true, "yes": true, "on": true, "1": true,
	"f": false, "fa": false, "fal": false, "fals": false, "false": false, "n": false, "no": false, "of": false, "off": false, "0": false,
}

// truth is the value as a condition: PostgreSQL reads 't', 'yes', 'on' … as
// true, MySQL a string by its leading number; either reading that is true wins.
func (v sqlValue) truth() truth {
	switch v.kind {
	case valBool, valNum:
		return boolTruth(v.num != 0)
	case valStr:
		b, ok := pgBools[strings.ToLower(strings.TrimSpace(v.str))]
		return boolTruth((ok && b) || mysqlNumber(v.str) != 0)
	}
	return truthUnknown
}

func (v sqlValue) text() string {
	if v.kind == valBool {
		return strconv.FormatFloat(v.num, 'f', -1, 64)
	}
	return v.str
}

// number is the value compared with other: a string next to a boolean as
// PostgreSQL reads it, else by its leading number as MySQL does.
func (v sqlValue) number(other sqlValue) float64 {
	if v.kind != valStr {
		return v.num
	}
	if b, ok := pgBools[strings.ToLower(strings.TrimSpace(v.str))]; ok && other.kind == valBool {
		return boolNum(b)
	}
	return mysqlNumber(v.str)
}

func boolNum(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// compareValues evaluates x op y for constants.
func compareValues(x sqlValue, op string, y sqlValue) truth {
	if x.kind == valNull || y.kind == valNull {
		if op == "<=>" {
			return boolTruth(x.kind == y.kind)
		}
		return truthUnknown
	}
	if x.kind == valStr && y.kind == valStr {
		// PostgreSQL compares the bytes, MySQL mostly ignores case.
		return orTruth(compareOrder(strings.Compare(x.str, y.str), op),
			compareOrder(strings.Compare(strings.ToLower(x.str), strings.ToLower(y.str)), op))
	}
	a, b := x.number(y), y.number(x)
	c := 0
	if a < b {
		c = -1
	} else if a > b {
		c = 1
	}
	return compareOrder(c, op)
}

func orTruth(a, b truth) truth {
	if a == truthTrue || b == truthTrue {
		return truthTrue
	}
	if a == truthFalse && b == truthFalse {
		return truthFalse
	}
	return truthUnknown
}

// compareOrder applies op to the result c of comparing two values.
func compareOrder(c int, op string) truth {
	switch op {
	case "=", "==", "<=>":
		return boolTruth(c == 0)
	case "<>", "!=":
		return boolTruth(c != 0)
	case "<":
		return boolTruth(c < 0)
	case "<=":
		return boolTruth(c <= 0)
	case ">":
		return boolTruth(c > 0)
	case ">=":
		return boolTruth(c >= 0)
	}
	return truthUnknown
}

// constValue evaluates a constant: a literal, possibly in parentheses, cast
// (x::bool, CAST(x AS bool)), negated (!x, MySQL) or signed. Past the nesting
// bound it is none, and the whole condition trivial (see whereEval.past).
func (e *whereEval) constValue(toks []sqlTok, d int32, nest int) (sqlValue, bool) {
	src := e.src
	n := len(toks)
	switch {
	case e.past(nest):
		return sqlValue{}, false
	case n == 0:
		return sqlValue{}, false
	case n == 1:
		return literal(src, toks[0])
	case n >= 3 && isPunct(src, toks[n-3], ':') && isPunct(src, toks[n-2], ':') && toks[n-1].kind == tokWord:
		v, ok := e.constValue(toks[:n-3], d, nest+1)
		return castValue(v, lowerWord(src, toks[n-1])), ok
	case isWord(src, toks[0], "cast") && enclosed(src, toks[1:], d):
		return e.castCall(toks[2:n-1], d+1, nest+1)
	case enclosed(src, toks, d):
		return e.constValue(toks[1:n-1], d+1, nest+1)
	case toks[0].kind == tokOp && strings.Trim(tokText(src, toks[0]), "!") == "":
		v, ok := e.constValue(toks[1:], d, nest+1)
		t := v.truth()
		if len(tokText(src, toks[0]))%2 == 1 {
			t = t.not()
		}
		return sqlValue{kind: valBool, num: boolNum(t == truthTrue)}, ok && t != truthUnknown
	case isPunct(src, toks[0], '-') || isPunct(src, toks[0], '+'):
		v, ok := e.constValue(toks[1:], d, nest+1)
		if isPunct(src, toks[0], '-') {
			v.num, v.str = -v.num, "-"+v.str
		}
		return v, ok && v.kind == valNum
	case n == 2 && toks[1].kind == tokString && isIntroducer(src, toks[0], toks[1]):
		return literal(src, toks[1]) // E'…', N'…', _utf8'…'
	}
	return sqlValue{}, false
}

// isIntroducer reports a prefix that keeps a string a string: E and N glued
// to it, or a MySQL character set (_utf8mb4).
func isIntroducer(src string, w, s sqlTok) bool {
	if w.kind != tokWord {
		return false
	}
	t := tokText(src, w)
	return src[w.start] == '_' || (w.end == s.start && (strings.EqualFold(t, "e") || strings.EqualFold(t, "n")))
}

// literal is the value of one token: a number, a string, TRUE, FALSE, NULL.
func literal(src string, t sqlTok) (sqlValue, bool) {
	switch {
	case t.kind == tokNumber:
		v, ok := numberValue(src, t)
		return sqlValue{kind: valNum, num: v, str: tokText(src, t)}, ok
	case t.kind == tokString:
		return sqlValue{kind: valStr, str: stringBody(tokText(src, t))}, true
	case isWord(src, t, "true"):
		return valTrue, true
	case isWord(src, t, "false"):
		return sqlValue{kind: valBool}, true
	case isWord(src, t, "null"):
		return sqlValue{kind: valNull}, true
	}
	return sqlValue{}, false
}

// stringBody is the text of a quoted or $tag$ string token.
func stringBody(s string) string {
	if s[0] == '$' {
		tag := s[:strings.IndexByte(s[1:], '$')+2]
		return s[len(tag) : len(s)-len(tag)]
	}
	q := s[:1]
	return strings.ReplaceAll(s[1:len(s)-1], q+q, q)
}

// castValue converts v to a boolean for a cast to bool; other casts keep it.
func castValue(v sqlValue, typ string) sqlValue {
	if (typ != "bool" && typ != "boolean") || v.kind == valNull {
		return v
	}
	return sqlValue{kind: valBool, num: boolNum(v.truth() == truthTrue)}
}

// castCall evaluates the inside of CAST(x AS type).
func (e *whereEval) castCall(inner []sqlTok, d int32, nest int) (sqlValue, bool) {
	src := e.src
	for j := len(inner) - 2; j > 0; j-- {
		if inner[j].depth == d && isWord(src, inner[j], "as") {
			v, ok := e.constValue(inner[:j], d, nest)
			return castValue(v, lowerWord(src, inner[j+1])), ok
		}
	}
	return sqlValue{}, false
}

// mysqlNumber is MySQL's reading of a string as a number: its leading
// number, 0 when it has none.
func mysqlNumber(s string) float64 {
	s = strings.TrimLeft(s, " \t\n\r")
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := skipDigits(s, i)
	end := digits
	if end < len(s) && s[end] == '.' {
		end = skipDigits(s, end+1)
	}
	if end-i <= 1 && digits == i { // no digit at all
		return 0
	}
	if end < len(s) && (s[end] == 'e' || s[end] == 'E') {
		j := end + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if k := skipDigits(s, j); k > j {
			end = k
		}
	}
	return parseNumber(s[:end])
}

func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// parseNumber parses a decimal or float; a literal with a non-zero digit
// before its exponent stays non-zero (1e-999 is no zero to PostgreSQL's
// numeric).
func parseNumber(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	if mantissa, _, _ := strings.Cut(strings.ToLower(s), "e"); v == 0 && strings.ContainsAny(mantissa, "123456789") {
		return math.SmallestNonzeroFloat64
	}
	return v
}

// numberValue parses a numeric literal token: decimal, float, 0x hex,
// 0b binary, 0o octal (a leading 0 alone is decimal in SQL).
func numberValue(src string, t sqlTok) (float64, bool) {
	if t.kind != tokNumber {
		return 0, false
	}
	s := tokText(src, t)
	if len(s) > 2 && s[0] == '0' && strings.IndexByte("xXbBoO", s[1]) >= 0 {
		v, err := strconv.ParseUint(s, 0, 64)
		return float64(v), err == nil || errors.Is(err, strconv.ErrRange)
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		return parseNumber(s), true
	}
	return 0, false
}
