package facts

import (
	"fmt"

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
// obviously always true (1=1, TRUE, … OR 1=1).
type SQLStatement struct {
	Kind     string
	HasWhere bool
	With     bool
}

// ParseSQL builds the SQL fact of q. The text is tokenized three times, the
// way PostgreSQL, MySQL and SQLite split it: they disagree on backslashes
// in strings, '#' and "--x" comments, nested and /*! */ comments and $$
// quoting, and each disagreement can hide a statement from a single reader.
// The fact is ok when at least one dialect reads the whole text; its
// statements are the union of every dialect's reading (for a dialect that
// fails, the statements it completed before failing, since a server runs
// those first), and count is the largest statement count of any reading.
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
			if st := reads[i].stmts[pos]; !containsStatement(f.Statements[first:], st) {
				f.Statements = append(f.Statements, st)
			}
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

func containsStatement(list []SQLStatement, st SQLStatement) bool {
	for _, s := range list {
		if s == st {
			return true
		}
	}
	return false
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
)
