package facts

import (
	"math"
	"strings"
)

// maxPercentRounds is how many times text is percent-decoded: twice finds
// a double-encoded credential (%2549 is %49 once decoded, I twice).
const maxPercentRounds = 2

// findPercentEncoded appends the credentials found in the percent-decoded
// forms of s, with their ranges mapped back onto the encoded bytes of s.
// Malformed escapes (%zz, a trailing %) are kept as they are and the rest
// is still decoded. '+' is left alone: no credential contains a space.
func findPercentEncoded(s string, out []SecretMatch) []SecretMatch {
	if len(s) >= math.MaxInt32 {
		return out
	}
	text := s
	var offs []int32 // offs[i] is the byte of s that byte i of text comes from
	for range maxPercentRounds {
		dec, m, ok := percentDecode(text)
		if !ok {
			break
		}
		if offs == nil {
			offs = m
		} else {
			for i, j := range m { // m[i] >= i: composing in place is safe
				offs[i] = offs[j]
			}
			offs = offs[:len(m)]
		}
		text = dec
		for _, f := range findSecretsIn(text, nil) {
			out = append(out, SecretMatch{Kind: f.Kind, Start: int(offs[f.Start]), End: int(offs[f.End])})
		}
		if strings.IndexByte(text, '%') < 0 {
			break
		}
	}
	return out
}

// percentDecode decodes each valid %XX escape of s. offs maps every byte
// of the result, and its end, to its offset in s. ok is false when s has
// no valid escape.
func percentDecode(s string) (dec string, offs []int32, ok bool) {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			if !ok {
				ok = true
				b.Grow(len(s))
				b.WriteString(s[:i])
				offs = make([]int32, i, len(s)+1)
				for k := range i {
					offs[k] = int32(k)
				}
			}
			offs = append(offs, int32(i))
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 3
			continue
		}
		if ok {
			offs = append(offs, int32(i))
			b.WriteByte(s[i])
		}
		i++
	}
	if !ok {
		return "", nil, false
	}
	return b.String(), append(offs, int32(len(s))), true
}
