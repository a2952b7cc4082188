package facts

import "strings"

// maxConditionNesting bounds how many nested parentheses a condition is
// looked into. Deeper conditions count as trivial: a filter hidden under
// that many parentheses is not trusted to be one (fail closed), and the
// bound keeps the work linear.
const maxConditionNesting = 16

// truth is what a condition is for every row, as far as the text alone tells.
type truth uint8

const (
	truthUnknown truth = iota // depends on the row, or not understood
	truthTrue
	truthFalse
)

func (t truth) not() truth {
	switch t {
	case truthTrue:
		return truthFalse
	case truthFalse:
		return truthTrue
	}
	return truthUnknown
}

func boolTruth(b bool) truth {
	if b {
		return truthTrue
	}
	return truthFalse
}

// trivialCondition reports a condition that is obviously always true: TRUE,
// a non-zero number, x = x, 1 < 2, 1 = 1.0, 'a' <> 'b', 1 IN (1), 'x' LIKE '%',
// TRUE IS TRUE, 1::bool, NOT FALSE, !0, or an OR with such a branch, in
// parentheses or not. Only constants and a column compared with itself are
// evaluated, so a real filter is never taken for one; among the readings of
// a constant (PostgreSQL, MySQL) the one that is true wins. A condition
// nested past the bound anywhere is trivial as a whole: what it hides is not
// trusted to be a filter (fail closed). It is a heuristic, not a prover.
// toks is the condition; d the depth of its top level; nest how many
// parentheses were already opened.
func trivialCondition(src string, toks []sqlTok, d int32, nest int) bool {
	e := whereEval{src: src}
	return e.cond(toks, d, nest) == truthTrue || e.bounded
}

// whereEval evaluates one condition; bounded records that some part of it
// was nested past maxConditionNesting.
type whereEval struct {
	src     string
	bounded bool
}

// past reports nesting past the bound, and records it.
func (e *whereEval) past(nest int) bool {
	if nest > maxConditionNesting {
		e.bounded = true
	}
	return e.bounded
}

// cond evaluates an OR of ANDs (also MySQL's || and &&) of atoms.
func (e *whereEval) cond(toks []sqlTok, d int32, nest int) truth {
	src := e.src
	if e.past(nest) {
		return truthUnknown
	}
	result, branch := truthFalse, truthTrue
	start := 0
	for j := 0; j <= len(toks); j++ {
		conn, width := "or", 1 // the end closes the last branch like an OR
		if j < len(toks) {
			if conn, width = connective(src, toks, j, d); conn == "" {
				continue
			}
		}
		if branch != truthFalse {
			branch = andTruth(branch, e.atom(toks[start:j], d, nest))
		}
		if conn == "or" {
			if branch == truthTrue {
				return truthTrue
			}
			if branch == truthUnknown {
				result = truthUnknown
			}
			branch = truthTrue
		}
		start = j + width
		j = start - 1
	}
	return result
}

func andTruth(a, b truth) truth {
	switch {
	case a == truthFalse || b == truthFalse:
		return truthFalse
	case a == truthTrue && b == truthTrue:
		return truthTrue
	}
	return truthUnknown
}

// connective returns "and" or "or" and its width in tokens for AND, OR, &&
// or || at toks[j] (depth d), else "".
func connective(src string, toks []sqlTok, j int, d int32) (string, int) {
	t := toks[j]
	if t.depth != d {
		return "", 0
	}
	switch {
	case isWord(src, t, "and"):
		return "and", 1
	case isWord(src, t, "or"):
		return "or", 1
	case t.kind == tokPunct && (src[t.start] == '|' || src[t.start] == '&') && j+1 < len(toks) &&
		toks[j+1].kind == tokPunct && toks[j+1].start == t.end && src[toks[j+1].start] == src[t.start]:
		if src[t.start] == '&' {
			return "and", 2
		}
		return "or", 2
	}
	return "", 0
}

// atom evaluates one conjunct.
func (e *whereEval) atom(toks []sqlTok, d int32, nest int) truth {
	src := e.src
	negate := false
	for len(toks) > 0 && isWord(src, toks[0], "not") { // NOT binds loosest
		negate = !negate
		toks = toks[1:]
	}
	t := truthUnknown
	is := findAtDepth(src, toks, 1, d, func(w string) bool { return w == "is" })
	switch at, op := findComparison(src, toks, d); {
	case len(toks) == 0:
	case enclosed(src, toks, d):
		t = e.cond(toks[1:len(toks)-1], d+1, nest+1)
	case is > 0: // IS binds looser than the other comparisons: 1 = 1 IS TRUE
		t = e.is(toks[:is], toks[is+1:], d, nest)
	case at > 0:
		t = e.comparison(toks[:at], op, toks[at+1:], d, nest)
	case at < 0:
		if v, ok := e.constValue(toks, d, nest); ok {
			t = v.truth()
		}
	}
	if negate {
		return t.not()
	}
	return t
}

// findComparison returns the index and lower-cased operator of the one
// comparison at depth d (=, <>, IN, LIKE, …); -1 when there is none,
// 0 when there are several or it has no left side (not understood).
func findComparison(src string, toks []sqlTok, d int32) (int, string) {
	at, op := -1, ""
	for j, t := range toks {
		if t.depth != d {
			continue
		}
		o := ""
		switch {
		case t.kind == tokOp && strings.Trim(tokText(src, t), "!") != "":
			o = tokText(src, t)
		case isWord(src, t, "in") || isWord(src, t, "like") || isWord(src, t, "ilike"):
			o = lowerWord(src, t)
		default:
			continue
		}
		if at >= 0 {
			return 0, ""
		}
		at, op = j, o
	}
	return at, op
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

// comparison evaluates a op b for constants, and for a column compared
// with itself (true but for NULLs, which a filter like it does not mean).
func (e *whereEval) comparison(a []sqlTok, op string, b []sqlTok, d int32, nest int) truth {
	src := e.src
	switch op {
	case "in":
		return e.in(a, b, d, nest)
	case "like", "ilike":
		return e.like(a, b, d, nest)
	}
	if sameColumn(src, a, b) {
		return boolTruth(op == "=" || op == "==" || op == "<=>" || op == ">=" || op == "<=")
	}
	x, okA := e.constValue(a, d, nest)
	y, okB := e.constValue(b, d, nest)
	if !okA || !okB {
		return truthUnknown
	}
	return compareValues(x, op, y)
}

// is evaluates a IS [NOT] TRUE | FALSE | NULL | UNKNOWN | DISTINCT FROM b.
func (e *whereEval) is(a, rest []sqlTok, d int32, nest int) truth {
	src := e.src
	negate := len(rest) > 0 && isWord(src, rest[0], "not")
	if negate {
		rest = rest[1:]
	}
	t := truthUnknown
	switch {
	case len(rest) > 2 && isWord(src, rest[0], "distinct") && isWord(src, rest[1], "from"):
		t = e.comparison(a, "<=>", rest[2:], d, nest).not()
	case len(rest) == 1:
		v, ok := e.isOperand(a, d, nest)
		if !ok {
			break
		}
		switch w := lowerWord(src, rest[0]); {
		case rest[0].kind != tokWord:
		case w == "null" || w == "unknown":
			t = boolTruth(v.kind == valNull)
		case w == "true":
			t = boolTruth(v.kind != valNull && v.truth() == truthTrue)
		case w == "false":
			t = boolTruth(v.kind != valNull && v.truth() == truthFalse)
		}
	}
	if negate {
		return t.not()
	}
	return t
}

// isOperand is the value of the left side of IS: a constant, or a
// condition whose truth is known (1 = 1 IS TRUE).
func (e *whereEval) isOperand(a []sqlTok, d int32, nest int) (sqlValue, bool) {
	if v, ok := e.constValue(a, d, nest); ok {
		return v, true
	}
	switch e.atom(a, d, nest) {
	case truthTrue:
		return valTrue, true
	case truthFalse:
		return sqlValue{kind: valBool}, true
	}
	return sqlValue{}, false
}
