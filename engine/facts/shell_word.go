package facts

import (
	"path"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// shellWord is a word's value with quotes resolved when lit, else its
// source text.
type shellWord struct {
	val string
	lit bool
}

func (sc *shellScope) words(ws []*syntax.Word) []shellWord {
	out := make([]shellWord, len(ws))
	for i, w := range ws {
		out[i] = sc.word(w)
	}
	return out
}

// word resolves quoting the way bash does for a word without expansions:
// backslash escapes, '…', "…", and $'…' (ANSI-C escapes decoded). A word
// with any expansion or substitution is not literal.
func (sc *shellScope) word(w *syntax.Word) shellWord {
	if len(w.Parts) == 1 {
		if l, ok := w.Parts[0].(*syntax.Lit); ok && strings.IndexByte(l.Value, '\\') < 0 {
			return shellWord{val: l.Value, lit: true}
		}
	}
	var b strings.Builder
	for _, part := range w.Parts {
		if !appendLiteral(&b, part, false) {
			return shellWord{val: sc.render(w)}
		}
	}
	return shellWord{val: b.String(), lit: true}
}

// render is a non-literal word with its quotes resolved and each simple
// parameter expansion written one canonical way: "$HOME", "${HOME}" and
// $HOME all render as ${HOME}, so a policy matching it cannot be dodged by
// quoting. Braces keep "${A}B" from reading as $AB. Other expansions keep
// their source text.
func (sc *shellScope) render(w *syntax.Word) string {
	var b strings.Builder
	for _, part := range w.Parts {
		sc.renderPart(&b, part, false)
	}
	return b.String()
}

func (sc *shellScope) renderPart(b *strings.Builder, part syntax.WordPart, quoted bool) {
	switch p := part.(type) {
	case *syntax.ParamExp:
		if isSimpleParam(p) {
			b.WriteString("${" + p.Param.Value + "}")
			return
		}
		b.WriteString(sc.source(p))
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			sc.renderPart(b, q, true)
		}
	default:
		var lit strings.Builder
		if appendLiteral(&lit, part, quoted) {
			b.WriteString(lit.String())
		} else {
			b.WriteString(sc.source(part))
		}
	}
}

// isSimpleParam reports a plain $name or ${name}, without operators.
func isSimpleParam(p *syntax.ParamExp) bool {
	return p.Param != nil && p.Flags == nil && !p.Excl && !p.Length && !p.Width &&
		!p.IsSet && p.NestedParam == nil && p.Index == nil && len(p.Modifiers) == 0 &&
		p.Slice == nil && p.Repl == nil && p.Names == 0 && p.Exp == nil
}

func appendLiteral(b *strings.Builder, part syntax.WordPart, quoted bool) bool {
	switch p := part.(type) {
	case *syntax.Lit:
		if quoted {
			b.WriteString(unescapeDouble(p.Value))
		} else {
			b.WriteString(unescapeBare(p.Value))
		}
	case *syntax.SglQuoted:
		if p.Dollar {
			b.WriteString(decodeANSIC(p.Value))
		} else {
			b.WriteString(p.Value)
		}
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			if !appendLiteral(b, q, true) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// flatten is a word's value for pattern checks: quotes resolved, each
// expansion or substitution replaced by a NUL byte. It reads only the
// word's own parts (nested words are flattened when the walk reaches them),
// so flattening every word of a text is linear in its size. "/dev/"tcp/$h
// becomes "/dev/tcp/\x00".
func flatten(w *syntax.Word) string {
	if len(w.Parts) == 1 {
		if l, ok := w.Parts[0].(*syntax.Lit); ok && strings.IndexByte(l.Value, '\\') < 0 {
			return l.Value
		}
	}
	var b strings.Builder
	flattenParts(&b, w.Parts, false)
	return b.String()
}

func flattenParts(b *strings.Builder, parts []syntax.WordPart, quoted bool) {
	for _, part := range parts {
		switch p := part.(type) {
		case *syntax.DblQuoted:
			flattenParts(b, p.Parts, true)
		case *syntax.Lit, *syntax.SglQuoted:
			appendLiteral(b, p, quoted)
		default:
			b.WriteByte(0)
		}
	}
}

func (sc *shellScope) source(n syntax.Node) string {
	return sc.sourceRange(n.Pos(), n.End())
}

func (sc *shellScope) sourceRange(from, to syntax.Pos) string {
	start, end := int(from.Offset()), int(to.Offset())
	if start > end || end > len(sc.src) {
		return ""
	}
	return sc.src[start:end]
}

// unescapeBare resolves backslashes outside quotes: \c is c.
func unescapeBare(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unescapeDouble resolves backslashes inside "…", where only $ ` " \ and
// newline are escaped.
func unescapeDouble(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ansiSimple are the one-letter escapes of $'…'.
var ansiSimple = map[byte]byte{
	'a': 7, 'b': 8, 'e': 0x1b, 'E': 0x1b, 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t',
	'v': '\v', '\\': '\\', '\'': '\'', '"': '"', '?': '?',
}

// decodeANSIC decodes the escapes of bash's $'…': \n, \xHH, \uHHHH,
// \UHHHHHHHH, \nnn (octal), \cX; an unknown escape stays as written.
func decodeANSIC(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		e := s[i]
		if c, ok := ansiSimple[e]; ok {
			b.WriteByte(c)
			continue
		}
		switch {
		case e == 'x' || e == 'u' || e == 'U':
			v, n := scanDigits(s[i+1:], 16, hexEscapeWidth(e))
			if n == 0 {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			if e == 'x' {
				b.WriteByte(byte(v))
			} else if r := rune(v); utf8.ValidRune(r) {
				b.WriteRune(r)
			}
			i += n
		case e >= '0' && e <= '7':
			v, n := scanDigits(s[i:], 8, 3)
			b.WriteByte(byte(v))
			i += n - 1
		case e == 'c' && i+1 < len(s):
			i++
			b.WriteByte(s[i] & 0x1f)
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}

// hexEscapeWidth is the most hex digits \x, \u and \U take.
func hexEscapeWidth(e byte) int {
	switch e {
	case 'x':
		return 2
	case 'u':
		return 4
	}
	return 8
}

// scanDigits reads up to limit digits of base at the start of s.
func scanDigits(s string, base uint32, limit int) (uint32, int) {
	var v uint32
	n := 0
	for n < len(s) && n < limit {
		c := s[n]
		var d uint32
		switch {
		case c >= '0' && c <= '9':
			d = uint32(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint32(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint32(c-'A') + 10
		default:
			return v, n
		}
		if d >= base {
			return v, n
		}
		v = v*base + d
		n++
	}
	return v, n
}

// hasEscapeSequence reports \xHH, \uHHHH, \0N or \NNN (octal) in text:
// the escapes echo -e, printf and $'…' turn into arbitrary bytes. A plain
// \1 (a sed back-reference) is not one.
func hasEscapeSequence(s string) bool {
	for i := strings.IndexByte(s, '\\'); i >= 0; {
		rest := s[i+1:]
		switch {
		case len(rest) >= 2 && (rest[0] == 'x' || rest[0] == 'u' || rest[0] == 'U') && isHex(rest[1]):
			return true
		case len(rest) >= 2 && rest[0] == '0' && isOctal(rest[1]):
			return true
		case len(rest) >= 3 && rest[0] >= '0' && rest[0] <= '3' && isOctal(rest[1]) && isOctal(rest[2]):
			return true
		}
		j := strings.IndexByte(rest, '\\')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// commandName is the base name of a literal command word ("/bin/rm" → rm).
func commandName(argv0 string) string {
	if argv0 == "" {
		return ""
	}
	return path.Base(argv0)
}
