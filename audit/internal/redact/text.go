package redact

import (
	"fmt"
	"sort"
	"strings"
)

// invalidSpanKind names a detector match whose span is out of bounds: the
// whole string is then redacted, since where the secret is is unknown.
const invalidSpanKind = "unknown"

// span is one region of a string to replace: [start, end) after widening to
// the surrounding token, and the secret [sStart, sEnd) the detector reported,
// which is what the HMAC is keyed on so the same secret masks alike wherever
// it appears.
type span struct {
	kind         string
	start, end   int
	sStart, sEnd int
}

// text replaces every secret the detector finds in s. It reports whether
// anything changed.
func (r *Redactor) text(s string) (string, bool) {
	if s == "" {
		return s, false
	}
	ms := r.detect(s)
	if len(ms) == 0 {
		return s, false
	}
	spans := spansOf(s, ms)
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.start])
		b.WriteString(r.marker(sp.kind, s[sp.sStart:sp.sEnd]))
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String(), true
}

func (r *Redactor) marker(kind, secret string) string {
	if r.mode == HMAC {
		return hmacSpanPrefix + kind + ":" + r.mac([]byte(secret)) + "]"
	}
	return fmt.Sprintf(eraseSpanFormat, kind)
}

// spansOf validates, widens, sorts and merges the detector's matches.
func spansOf(s string, ms []Match) []span {
	out := make([]span, 0, len(ms))
	for _, m := range ms {
		if m.Start < 0 || m.End > len(s) || m.Start >= m.End {
			return []span{{kind: invalidSpanKind, start: 0, end: len(s), sStart: 0, sEnd: len(s)}}
		}
		start, end := widen(s, m.Start, m.End)
		out = append(out, span{kind: m.Kind, start: start, end: end, sStart: m.Start, sEnd: m.End})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	merged := out[:1]
	for _, sp := range out[1:] {
		cur := &merged[len(merged)-1]
		if sp.start > cur.end {
			merged = append(merged, sp)
			continue
		}
		cur.end = max(cur.end, sp.end)
		cur.sStart = min(cur.sStart, sp.sStart)
		cur.sEnd = max(cur.sEnd, sp.sEnd)
	}
	return merged
}

// widen grows [start, end) over neighbouring token bytes: a detector whose
// span stops one character short of a secret must not leave its tail in the
// clear. Token bytes are those of base64, base64url, hex and JWTs; anything
// else (space, quote, '&', '?', ':', '@', ',') ends the token, so the rest of
// a command line or URL stays readable.
func widen(s string, start, end int) (int, int) {
	for start > 0 && tokenByte(s[start-1]) {
		start--
	}
	for end < len(s) && tokenByte(s[end]) {
		end++
	}
	return start, end
}

func tokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("+/=_.~-", c) >= 0
}
