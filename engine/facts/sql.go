package facts

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// maxSQLBytes bounds the SQL text; longer text is refused.
const maxSQLBytes = 256 << 10

// SQLFact is SQL_FACT of docs/input-and-decision.md.
type SQLFact struct {
	OK         bool
	Error      string
	Statements []SQLStatement
	Count      int  // number of non-empty ';'-separated statements
	Comments   bool // comments were present
}

// SQLStatement summarises one statement. Kind is the lower-cased leading
// keyword; for WITH … it is the kind of the main statement (With is then
// true), for EXPLAIN … the kind of the explained statement, and when a
// data-modifying statement hides in parentheses (a CTE) the more dangerous
// of the two. HasWhere is a WHERE at the statement's own level that is not
// obviously always true (1=1, TRUE, … OR 1=1). Functions are the
// lower-cased names of the functions it calls (see calledFunctions).
type SQLStatement struct {
	Kind      string
	HasWhere  bool
	With      bool
	Functions []string
}

// String renders the statement, its functions only when it calls some.
func (st SQLStatement) String() string {
	s := fmt.Sprintf("{Kind:%s HasWhere:%t With:%t", st.Kind, st.HasWhere, st.With)
	if len(st.Functions) > 0 {
		s += " Functions:[" + strings.Join(st.Functions, " ") + "]"
	}
	return s + "}"
}

// sqlBoundError is a bound reached by one reading. It fails the whole
// fact: another reading that sees less (the text in a string) must not
// stand for what the server runs.
type sqlBoundError string

func (e sqlBoundError) Error() string { return string(e) }

// ParseSQL builds the SQL fact of q. The text is tokenized three times, the
// way PostgreSQL, MySQL and SQLite split it: they disagree on backslashes
// in strings, '#' and "--x" comments, nested and /*! */ comments and $$
// quoting, and each disagreement can hide a statement from a single reader.
// The fact is ok when at least one dialect reads the whole text; its
// statements are the union of every dialect's reading (for a dialect that
// fails, the statements it completed before failing, since a server runs
// those first), and count is the largest statement count of any reading.
// Readings of one statement that differ only in the functions they see are
// one statement calling all of them. A bound reached by any reading fails
// the fact.
func ParseSQL(q string) SQLFact {
	if len(q) > maxSQLBytes {
		return SQLFact{Error: fmt.Sprintf("SQL text longer than %d bytes", maxSQLBytes)}
	}
	var reads [len(sqlDialects)]sqlLex
	var buf []sqlTok
	okAny := false
	for i := range sqlDialects {
		reads[i], buf = lexSQL(q, &sqlDialects[i], buf)
		okAny = okAny || reads[i].err == nil
	}
	var bound sqlBoundError
	for i := range reads {
		if errors.As(reads[i].err, &bound) {
			return SQLFact{Error: reads[i].err.Error()}
		}
	}
	if !okAny {
		return SQLFact{Error: reads[0].err.Error()}
	}
	f := SQLFact{OK: true}
	for pos := 0; ; pos++ {
		first := len(f.Statements)
		more := false
		for i := range reads {
			if pos >= len(reads[i].stmts) {
				continue
			}
			more = true
			f.Count = max(f.Count, pos+1)
			f.Statements = mergeStatement(f.Statements, first, reads[i].stmts[pos])
		}
		if !more {
			break
		}
	}
	for i := range reads {
		f.Comments = f.Comments || reads[i].comments
	}
	return f
}

// mergeStatement adds st to list, or its functions to the statement of
// list[first:] that has its kind, WHERE and WITH.
func mergeStatement(list []SQLStatement, first int, st SQLStatement) []SQLStatement {
	for k := first; k < len(list); k++ {
		if s := &list[k]; s.Kind == st.Kind && s.HasWhere == st.HasWhere && s.With == st.With {
			for _, name := range st.Functions {
				if !slices.Contains(s.Functions, name) {
					s.Functions = append(slices.Clip(s.Functions), name)
				}
			}
			return list
		}
	}
	return append(list, st)
}

// Term returns the fact as an OPA object.
func (f SQLFact) Term() *ast.Term {
	if !f.OK {
		return failTerm(f.Error)
	}
	ts := make([]*ast.Term, len(f.Statements))
	for i, st := range f.Statements {
		ts[i] = ast.ObjectTerm(
			ast.Item(keyKind, strTerm(st.Kind)),
			ast.Item(keyHasWhere, boolTerm(st.HasWhere)),
			ast.Item(keyWith, boolTerm(st.With)),
			ast.Item(keyFunctions, stringsArray(st.Functions)),
		)
	}
	return ast.ObjectTerm(
		ast.Item(keyOK, termTrue),
		ast.Item(keyStatements, ast.ArrayTerm(ts...)),
		ast.Item(keyCount, ast.InternedTerm(f.Count)),
		ast.Item(keyComments, boolTerm(f.Comments)),
	)
}

var (
	keyStatements = ast.StringTerm("statements")
	keyHasWhere   = ast.StringTerm("has_where")
	keyWith       = ast.StringTerm("with")
	keyCount      = ast.StringTerm("count")
	keyComments   = ast.StringTerm("comments")
	keyFunctions  = ast.StringTerm("functions")
)
