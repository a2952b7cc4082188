package facts

import (
	"fmt"
	"strings"
)

// kindUnknown is the kind of a statement that does not start with a keyword.
const kindUnknown = "unknown"

// mainKeywords start the main statement after a WITH clause.
var mainKeywords = map[string]bool{
	"select": true, "insert": true, "update": true, "delete": true, "merge": true,
	"replace": true, "values": true, "table": true,
}

// writeKeywords start a data-modifying statement that may also hide in
// parentheses (PostgreSQL: WITH d AS (DELETE FROM t RETURNING *) SELECT …).
var writeKeywords = map[string]bool{"insert": true, "update": true, "delete": true, "merge": true}

// explainOptions may sit between EXPLAIN and the statement it explains.
var explainOptions = map[string]bool{
	"analyze": true, "analyse": true, "verbose": true, "query": true, "plan": true,
	"extended": true, "partitions": true, "format": true, "json": true, "text": true,
	"xml": true, "yaml": true, "tree": true, "traditional": true,
}

// maxSubStatements bounds the data-modifying statements examined inside one
// statement; each costs a scan of the rest of it.
const maxSubStatements = 64

// analyzeStatement summarises the tokens of one ';'-separated statement.
// The kind reported is the most dangerous of the statement itself and of
// any data-modifying statement nested in parentheses, so a DELETE inside a
// CTE is not hidden behind the SELECT that follows it.
func analyzeStatement(src string, toks []sqlTok) (SQLStatement, error) {
	fns, err := calledFunctions(src, toks)
	if err != nil {
		return SQLStatement{}, err
	}
	i := 0
	for i < len(toks) && isPunct(src, toks[i], '(') {
		i++
	}
	if i == len(toks) || !isKeyword(src, toks[i]) {
		return SQLStatement{Kind: kindUnknown, Functions: fns}, nil
	}
	main := subStatement(src, toks, i)
	best := main
	subs := 0
	for j := i + 1; j < len(toks); j++ {
		if toks[j].kind != tokWord || !isPunct(src, toks[j-1], '(') || !writeKeywords[lowerWord(src, toks[j])] {
			continue
		}
		if subs++; subs > maxSubStatements {
			return SQLStatement{}, sqlBoundError(fmt.Sprintf("more than %d data-modifying sub-statements", maxSubStatements))
		}
		if sub := subStatement(src, toks, j); sqlDanger(sub) > sqlDanger(best) {
			best = sub
		}
	}
	best.With = main.With
	best.Functions = fns
	return best, nil
}

// subStatement summarises the statement starting with the keyword at toks[i]
// and running while the parenthesis depth stays at or above its own.
func subStatement(src string, toks []sqlTok, i int) SQLStatement {
	kw := lowerWord(src, toks[i])
	d := toks[i].depth
	end := i + 1
	// The statement ends where its depth is left, or at the ')' closing the
	// group it sits in (a ')' at depth 0 is unbalanced: stop there too).
	for end < len(toks) && toks[end].depth >= d && (toks[end].depth != d || !isPunct(src, toks[end], ')')) {
		end++
	}
	scope := toks[:end]
	switch kw {
	case "with":
		if j := findAtDepth(src, scope, i+1, d, func(w string) bool { return mainKeywords[w] }); j > 0 {
			st := subStatement(src, toks, j)
			st.With = true
			return st
		}
		return SQLStatement{Kind: kw, With: true}
	case "explain", "describe", "desc":
		// EXPLAIN ANALYZE runs the statement: report what it explains.
		j := i + 1
		for j < end && (toks[j].depth > d || isPunct(src, toks[j], '(') || isPunct(src, toks[j], ',') ||
			toks[j].kind == tokOp || (toks[j].kind == tokWord && explainOptions[lowerWord(src, toks[j])])) {
			j++
		}
		// One level only: EXPLAIN EXPLAIN … would otherwise rescan per level.
		if j < end && toks[j].kind == tokWord && toks[j].depth == d && explainable[lowerWord(src, toks[j])] {
			return subStatement(src, toks, j)
		}
		if kw != "explain" {
			return SQLStatement{Kind: kindDescribe} // DESCRIBE users: a table, not a statement
		}
	case "select":
		// SELECT … INTO t creates a table (PostgreSQL, SQL Server) or writes
		// a file (MySQL INTO OUTFILE): it is no read.
		if findAtDepth(src, scope, i+1, d, func(w string) bool { return w == "into" }) > 0 {
			return SQLStatement{Kind: kindSelectInto, HasWhere: hasWhere(src, scope, i+1, d)}
		}
	case "copy":
		// COPY … TO/FROM PROGRAM runs a shell command on the database host.
		if findAtDepth(src, scope, i+1, d, func(w string) bool { return w == "program" }) > 0 {
			return SQLStatement{Kind: kindCopyProgram}
		}
	case "create":
		return SQLStatement{Kind: createKind(src, scope, i+1, d), HasWhere: hasWhere(src, scope, i+1, d)}
	case "load":
		// PostgreSQL's LOAD 'library' loads native code; MySQL's LOAD DATA,
		// LOAD XML and LOAD INDEX keep the kind load.
		if i+1 == end || toks[i+1].kind != tokWord || !loadKeywords[lowerWord(src, toks[i+1])] {
			return SQLStatement{Kind: kindLoadLibrary}
		}
	}
	return SQLStatement{Kind: kw, HasWhere: hasWhere(src, scope, i+1, d)}
}

// Statement kinds that are not a leading keyword.
const (
	kindDescribe    = "describe"
	kindSelectInto  = "select_into"
	kindCopyProgram = "copy_program"
)

// explainable are the statements EXPLAIN and DESCRIBE can lead to.
var explainable = map[string]bool{
	"select": true, "insert": true, "update": true, "delete": true, "merge": true,
	"replace": true, "values": true, "table": true, "with": true,
}

// findAtDepth returns the index of the first word at depth d from i that
// match accepts, or -1.
func findAtDepth(src string, toks []sqlTok, i int, d int32, match func(string) bool) int {
	for j := i; j < len(toks); j++ {
		if toks[j].depth == d && toks[j].kind == tokWord && match(lowerWord(src, toks[j])) {
			return j
		}
	}
	return -1
}

// hasWhere reports a WHERE at depth d that is not obviously always true:
// "DELETE FROM t WHERE 1=1" deletes everything, so it counts as no WHERE.
func hasWhere(src string, toks []sqlTok, i int, d int32) bool {
	for j := i; j < len(toks); j++ {
		if toks[j].depth != d || !isWord(src, toks[j], "where") {
			continue
		}
		end := j + 1
		for end < len(toks) && (toks[end].depth != d || toks[end].kind != tokWord || !whereEnders[lowerWord(src, toks[end])]) {
			end++
		}
		if !trivialCondition(src, toks[j+1:end], d, 0) {
			return true
		}
		j = end - 1
	}
	return false
}

// whereEnders end a WHERE clause at its own depth.
var whereEnders = map[string]bool{
	"where": true, "group": true, "order": true, "limit": true, "returning": true, "having": true,
	"window": true, "offset": true, "fetch": true, "for": true, "union": true,
	"intersect": true, "except": true,
}

// sqlDanger ranks statement summaries to pick the one to report.
func sqlDanger(st SQLStatement) int {
	switch st.Kind {
	case "drop", "truncate", "alter", "grant", "revoke", "do", kindCopyProgram, kindCreateRole,
		kindCreateExtension, kindCreateUntrusted, kindLoadLibrary:
		return 4
	case "delete", "update":
		if !st.HasWhere {
			return 3
		}
		return 2
	case "insert", "merge", "replace", kindSelectInto:
		return 2
	}
	return 1
}

func tokText(src string, t sqlTok) string { return src[t.start:t.end] }

func lowerWord(src string, t sqlTok) string { return lowerASCII(tokText(src, t)) }

func isWord(src string, t sqlTok, lower string) bool {
	return t.kind == tokWord && strings.EqualFold(tokText(src, t), lower)
}

// isKeyword reports a word made of ASCII letters and '_' only: a
// statement kind is a keyword, never an identifier such as MySQL's $$.
func isKeyword(src string, t sqlTok) bool {
	if t.kind != tokWord {
		return false
	}
	for _, c := range []byte(tokText(src, t)) {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '_' {
			return false
		}
	}
	return true
}

func isPunct(src string, t sqlTok, c byte) bool {
	return t.kind == tokPunct && src[t.start] == c
}
