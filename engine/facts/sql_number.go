package facts

// number reads a numeric literal: digits, one fraction, an exponent with
// its sign (1.5e-3), and any identifier characters glued to it (0x1F, 1_000).
func (l *sqlLexer) number() {
	j := l.i
	dot := false
	for j < len(l.src) {
		c := l.src[j]
		switch {
		case c == '.' && !dot:
			dot = true
		case (c == '+' || c == '-') && l.exponentSign(j):
		case !isSQLIdentChar(c) || (c == '$' && l.d.dollarQuotes):
			l.emit(tokNumber, j)
			return
		}
		j++
	}
	l.emit(tokNumber, j)
}

// exponentSign reports a sign at j that belongs to the exponent of the
// number starting at l.i: after its e and before a digit ("1e--x" keeps
// its comment).
func (l *sqlLexer) exponentSign(j int) bool {
	e := l.src[j-1]
	return (e == 'e' || e == 'E') && j+1 < len(l.src) && l.src[j+1] >= '0' && l.src[j+1] <= '9'
}
