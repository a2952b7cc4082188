package facts

import (
	"errors"
	"fmt"
	"strings"
)

// maxSQLStatements bounds the statements of one text.
const maxSQLStatements = 1000

// sqlDialect is how one family of databases splits text into tokens. The
// same text can hide a statement from one and not from another
// ("SELECT $$; DROP TABLE t; $$" is one string to PostgreSQL, three
// statements to MySQL), so ParseSQL reads it with each of them.
type sqlDialect struct {
	name             string
	backslashStrings bool // '…' (and "…" when a string) take backslash escapes
	dquoteString     bool // "…" is a string, else a quoted identifier
	hashComment      bool // # starts a line comment
	dashNeedsSpace   bool // -- starts a comment only before whitespace or the end
	nestedComments   bool // /* /* */ */ nests
	dollarQuotes     bool // $tag$…$tag$ strings
	execComments     bool // /*! … */ and /*M! … */ hold code
	eStrings         bool // E'…' takes backslash escapes
}

var sqlDialects = [...]sqlDialect{
	{name: "postgresql", nestedComments: true, dollarQuotes: true, eStrings: true},
	{name: "mysql", backslashStrings: true, dquoteString: true, hashComment: true, dashNeedsSpace: true, execComments: true},
	{name: "sqlite"}, // ANSI: standard strings, flat comments
}

type tokKind uint8

const (
	tokWord   tokKind = iota // keyword or bare identifier
	tokNumber                // numeric literal
	tokString                // quoted string
	tokIdent                 // quoted identifier
	tokOp                    // comparison operator run: = <> >= !=
	tokPunct                 // any other single byte, ( and ) included
)

// sqlTok is one token; depth is the parenthesis depth it sits at. A '('
// sits outside the group it opens and its ')' inside, so a group's tokens
// are exactly those after the '(' with a greater depth.
type sqlTok struct {
	kind       tokKind
	depth      int32
	start, end int32
}

var (
	errUnterminatedString  = errors.New("unterminated quoted string or identifier")
	errUnterminatedComment = errors.New("unterminated comment")
)

// sqlLex is the result of reading a text with one dialect. On error, stmts
// holds the statements completed before it: a server running statements
// one by one has executed those before it meets the error.
type sqlLex struct {
	stmts    []SQLStatement
	comments bool
	err      error
}

type sqlLexer struct {
	src       string
	d         *sqlDialect
	i         int
	depth     int32
	execDepth int
	toks      []sqlTok
	res       sqlLex
}

func lexSQL(src string, d *sqlDialect, buf []sqlTok) (sqlLex, []sqlTok) {
	l := sqlLexer{src: src, d: d, toks: buf[:0]}
	for l.i < len(l.src) && l.res.err == nil {
		l.res.err = l.step()
	}
	if l.res.err == nil && l.execDepth > 0 {
		l.res.err = errUnterminatedComment
	}
	if l.res.err == nil {
		l.res.err = l.flush()
	}
	if l.res.err != nil {
		l.res.err = fmt.Errorf("%s: %w", d.name, l.res.err)
	}
	return l.res, l.toks
}

func (l *sqlLexer) peek(n int) byte {
	if l.i+n < len(l.src) {
		return l.src[l.i+n]
	}
	return 0
}

func (l *sqlLexer) step() error {
	c := l.src[l.i]
	switch {
	case c == ';':
		l.i++
		return l.flush()
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
		l.i++
	case c == '-' && l.peek(1) == '-' && (!l.d.dashNeedsSpace || l.peek(2) <= ' '):
		l.lineComment()
	case c == '#' && l.d.hashComment:
		l.lineComment()
	case c == '/' && l.peek(1) == '*':
		return l.blockComment()
	case c == '*' && l.peek(1) == '/' && l.execDepth > 0:
		l.execDepth--
		l.i += 2
	case c == '\'':
		return l.quoted('\'', tokString, l.d.backslashStrings || l.isEString())
	case c == '"' && l.d.dquoteString:
		return l.quoted('"', tokString, l.d.backslashStrings)
	case c == '"':
		return l.quoted('"', tokIdent, false)
	case c == '`':
		return l.quoted('`', tokIdent, false)
	case c == '$' && l.d.dollarQuotes && l.dollarTag() != "":
		return l.dollarQuoted()
	case isSQLIdentStart(c) || (c == '$' && !l.d.dollarQuotes):
		l.run(tokWord, isSQLIdentChar)
	case c >= '0' && c <= '9' || (c == '.' && l.peek(1) >= '0' && l.peek(1) <= '9'):
		l.number()
	case c == '<' || c == '>' || c == '=' || c == '!':
		l.run(tokOp, func(b byte) bool { return b == '<' || b == '>' || b == '=' || b == '!' })
	case c == '(':
		l.emit(tokPunct, l.i+1)
		l.depth++
	case c == ')':
		l.emit(tokPunct, l.i+1)
		if l.depth > 0 {
			l.depth--
		}
	default:
		l.emit(tokPunct, l.i+1)
	}
	return nil
}

func (l *sqlLexer) emit(kind tokKind, end int) {
	l.toks = append(l.toks, sqlTok{kind: kind, depth: l.depth, start: int32(l.i), end: int32(end)})
	l.i = end
}

func (l *sqlLexer) run(kind tokKind, in func(byte) bool) {
	j := l.i + 1
	for j < len(l.src) && in(l.src[j]) {
		j++
	}
	l.emit(kind, j)
}

// flush ends the current statement; one with no tokens (only comments or
// nothing between two ';') is not a statement.
func (l *sqlLexer) flush() error {
	if len(l.toks) == 0 {
		return nil
	}
	if len(l.res.stmts) == maxSQLStatements {
		return sqlBoundError(fmt.Sprintf("more than %d statements", maxSQLStatements))
	}
	st, err := analyzeStatement(l.src, l.toks)
	if err != nil {
		return err
	}
	l.res.stmts = append(l.res.stmts, st)
	l.toks = l.toks[:0]
	l.depth = 0
	return nil
}

func (l *sqlLexer) lineComment() {
	l.res.comments = true
	if j := strings.IndexByte(l.src[l.i:], '\n'); j >= 0 {
		l.i += j + 1
		return
	}
	l.i = len(l.src)
}

func (l *sqlLexer) blockComment() error {
	l.res.comments = true
	if l.d.execComments && (l.peek(2) == '!' || (l.peek(2) == 'M' && l.peek(3) == '!')) {
		// MySQL/MariaDB executable comment: the text inside is code. Skip
		// the marker and its optional version number, lex the rest.
		l.i += strings.IndexByte(l.src[l.i:], '!') + 1
		for l.i < len(l.src) && l.src[l.i] >= '0' && l.src[l.i] <= '9' {
			l.i++
		}
		l.execDepth++
		return nil
	}
	level := 1
	for j := l.i + 2; j+1 < len(l.src); {
		switch {
		case l.src[j] == '*' && l.src[j+1] == '/':
			j += 2
			if level--; level == 0 {
				l.i = j
				return nil
			}
		case l.d.nestedComments && l.src[j] == '/' && l.src[j+1] == '*':
			level++
			j += 2
		default:
			j++
		}
	}
	return errUnterminatedComment
}

// quoted reads a string or quoted identifier; a doubled quote is an escaped
// quote in every dialect.
func (l *sqlLexer) quoted(q byte, kind tokKind, backslash bool) error {
	for j := l.i + 1; j < len(l.src); j++ {
		switch l.src[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(l.src) && l.src[j+1] == q {
				j++
				continue
			}
			l.emit(kind, j+1)
			return nil
		}
	}
	return errUnterminatedString
}

// isEString reports PostgreSQL's E'…' (escape string) prefix.
func (l *sqlLexer) isEString() bool {
	if !l.d.eStrings || l.i == 0 {
		return false
	}
	p := l.src[l.i-1]
	return (p == 'E' || p == 'e') && (l.i == 1 || !isSQLIdentChar(l.src[l.i-2]))
}

// dollarTag returns the $tag$ or $$ opening at l.i, or "".
func (l *sqlLexer) dollarTag() string {
	for j := l.i + 1; j < len(l.src); j++ {
		c := l.src[j]
		switch {
		case c == '$':
			return l.src[l.i : j+1]
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || (j > l.i+1 && c >= '0' && c <= '9'):
		default:
			return ""
		}
	}
	return ""
}

func (l *sqlLexer) dollarQuoted() error {
	tag := l.dollarTag()
	body := l.i + len(tag)
	end := strings.Index(l.src[body:], tag)
	if end < 0 {
		return errUnterminatedString
	}
	l.emit(tokString, body+end+len(tag))
	return nil
}

func isSQLIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isSQLIdentChar(c byte) bool {
	return isSQLIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}
