package facts

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// decodeStages returns raw followed by each distinct result of percent-
// decoding it again, at most maxDecodeRounds times. Text that would still
// change after the last round is refused: four layers of encoding have no
// legitimate use, and each extra layer is one more reading to get wrong.
func decodeStages(raw string) ([]string, error) {
	if raw == "" {
		return nil, errors.New("empty path")
	}
	if len(raw) > maxRawPathBytes {
		return nil, fmt.Errorf("path text longer than %d bytes", maxRawPathBytes)
	}
	stages := []string{raw}
	cur := raw
	for range maxDecodeRounds {
		next, changed := percentDecodeOnce(cur)
		if !changed {
			return stages, nil
		}
		stages = append(stages, next)
		cur = next
	}
	if _, changed := percentDecodeOnce(cur); changed {
		return nil, fmt.Errorf("path has more than %d layers of percent-encoding", maxDecodeRounds)
	}
	return stages, nil
}

// percentDecodeOnce decodes %XX and the IIS-style %uXXXX. A '%' that starts
// no valid escape stays as it is ("100%.txt" is a fine file name).
func percentDecodeOnce(s string) (string, bool) {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	changed := false
	for i < len(s) {
		c := s[i]
		if c != '%' {
			b.WriteByte(c)
			i++
			continue
		}
		if r, n := decodeUnicodeEscape(s[i:]); n > 0 {
			b.WriteRune(r)
			i += n
			changed = true
			continue
		}
		if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 3
			changed = true
			continue
		}
		b.WriteByte(c)
		i++
	}
	if !changed {
		return s, false
	}
	return b.String(), true
}

// decodeUnicodeEscape decodes a leading %uXXXX; n is 0 when there is none.
func decodeUnicodeEscape(s string) (rune, int) {
	const width = len("%uXXXX")
	if len(s) < width || (s[1] != 'u' && s[1] != 'U') {
		return 0, 0
	}
	var r rune
	for i := 2; i < width; i++ {
		if !isHex(s[i]) {
			return 0, 0
		}
		r = r<<4 | rune(unhex(s[i]))
	}
	if !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return r, width
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// lookalikes maps Unicode characters that NFKC normalisation or Windows
// "best fit" code-page conversion turn into '.', '/', '\' or '~' (the WorstFit
// attacks). Code-page currency signs (¥, ₩ for '\') are left out: they
// would make ordinary file names like "¥100.txt" absolute.
var lookalikes = map[rune]string{
	'\uFF0E': ".",   // fullwidth full stop
	'\u2024': ".",   // one dot leader
	'\uFE52': ".",   // small full stop
	'\u3002': ".",   // ideographic full stop
	'\u2025': "..",  // two dot leader
	'\u2026': "...", // horizontal ellipsis
	'\uFF0F': "/",   // fullwidth solidus
	'\u2215': "/",   // division slash
	'\u2044': "/",   // fraction slash
	'\u29F8': "/",   // big solidus
	'\uFF3C': "/",   // fullwidth reverse solidus (as '\', then '\' → '/')
	'\uFE68': "/",   // small reverse solidus
	'\u2216': "/",   // set minus
	'\u29F5': "/",   // reverse solidus operator
	'\u29F9': "/",   // big reverse solidus
	'\uFF5E': "~",   // fullwidth tilde: the folded reading is a home path
}

// foldLookalikes replaces every look-alike by its ASCII reading.
func foldLookalikes(s string) (string, bool) {
	if isASCII(s) {
		return s, false
	}
	var b strings.Builder
	changed := false
	for _, r := range s {
		if rep, ok := lookalikes[r]; ok {
			b.WriteString(rep)
			changed = true
			continue
		}
		b.WriteRune(r)
	}
	if !changed {
		return s, false
	}
	return b.String(), true
}
