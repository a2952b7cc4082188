package facts

import (
	"math"
	"strconv"
	"strings"
)

// maxConditionNesting bounds how many nested parentheses trivialCondition
// looks into. Deeper conditions count as trivial: a filter hidden under
// that many parentheses is not trusted to be one (fail closed), and the
// bound keeps the work linear.
const maxConditionNesting = 16

// trivialCondition reports a condition that is obviously always true: TRUE,
// a non-zero number, x = x, 1 < 2, 'a' <> 'b', NOT FALSE, or an OR with
// such a branch, in parentheses or not. It catches the usual "WHERE 1=1"
// and "WHERE id=5 OR 1=1" tricks; it is a heuristic, not a prover.
// toks is the condition; d the depth of its top level; nest how many
// parentheses were already opened.
func trivialCondition(src string, toks []sqlTok, d int32, nest int) bool {
	if nest > maxConditionNesting {
		return true
	}
	branch := true
	start := 0
	for j := 0; j <= len(toks); j++ {
		conn := ""
		if j < len(toks) {
			if toks[j].depth != d || toks[j].kind != tokWord {
				continue
			}
			if conn = lowerWord(src, toks[j]); conn != "and" && conn != "or" {
				continue
			}
		}
		branch = branch && trueAtom(src, toks[start:j], d, nest)
		if conn != "and" { // an OR, or the end: the branch is complete
			if branch {
				return true
			}
			branch = true
		}
		start = j + 1
	}
	return false
}

// trueAtom reports whether one conjunct is constantly true.
func trueAtom(src string, toks []sqlTok, d int32, nest int) bool {
	if enclosed(src, toks, d) {
		return trivialCondition(src, toks[1:len(toks)-1], d+1, nest+1)
	}
	switch len(toks) {
	case 1:
		v, ok := numberValue(src, toks[0])
		return isWord(src, toks[0], "true") || (ok && v != 0)
	case 2:
		v, ok := numberValue(src, toks[1])
		return isWord(src, toks[0], "not") && (isWord(src, toks[1], "false") || (ok && v == 0))
	case 3:
		return trueComparison(src, toks[0], toks[1], toks[2])
	}
	return false
}

// enclosed reports "( … )" where the parentheses match each other.
func enclosed(src string, toks []sqlTok, d int32) bool {
	n := len(toks)
	if n < 2 || !isPunct(src, toks[0], '(') || !isPunct(src, toks[n-1], ')') || toks[n-1].depth != d+1 {
		return false
	}
	for _, t := range toks[1 : n-1] {
		if t.depth <= d || (t.depth == d+1 && isPunct(src, t, ')')) {
			return false
		}
	}
	return true
}

func trueComparison(src string, a, op, b sqlTok) bool {
	if op.kind != tokOp {
		return false
	}
	o := tokText(src, op)
	x, okA := numberValue(src, a)
	y, okB := numberValue(src, b)
	if okA && okB {
		switch o {
		case "=", "==", "<=>":
			return x == y
		case "<>", "!=":
			return x != y
		case "<":
			return x < y
		case "<=":
			return x <= y
		case ">":
			return x > y
		case ">=":
			return x >= y
		}
		return false
	}
	same := a.kind == b.kind && strings.EqualFold(tokText(src, a), tokText(src, b))
	switch o {
	case "=", "==", ">=", "<=", "<=>":
		return same && a.kind != tokPunct && a.kind != tokOp
	case "<>", "!=":
		return a.kind == tokString && b.kind == tokString && !same
	}
	return false
}

// numberValue parses a numeric literal token (decimal, float or 0x hex).
func numberValue(src string, t sqlTok) (float64, bool) {
	if t.kind != tokNumber {
		return 0, false
	}
	s := tokText(src, t)
	if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(v) {
		return v, true
	}
	if v, err := strconv.ParseInt(s, 0, 64); err == nil {
		return float64(v), true
	}
	return 0, false
}
