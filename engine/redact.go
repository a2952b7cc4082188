package engine

import (
	"cmp"
	"slices"
	"strings"
)

// redactionPrefix starts the mark that replaces a secret in a response:
// "[REDACTED:github_token]".
const redactionPrefix = "[REDACTED:"

// redactParts replaces the picked secrets in parts and returns the new parts
// and how many spans were replaced. Overlapping spans are merged; the merged
// span is named after its first secret.
func redactParts(parts []string, found []secretRef, picked []int) ([]string, int) {
	byPart := map[int][]secretRef{}
	for _, i := range picked {
		s := found[i]
		byPart[s.part] = append(byPart[s.part], s)
	}
	out := slices.Clone(parts)
	n := 0
	for part, spans := range byPart {
		var replaced int
		out[part], replaced = redactString(parts[part], spans)
		n += replaced
	}
	return out, n
}

func redactString(s string, spans []secretRef) (string, int) {
	slices.SortFunc(spans, func(a, b secretRef) int { return cmp.Compare(a.Start, b.Start) })
	var b strings.Builder
	pos, n := 0, 0
	for i := 0; i < len(spans); {
		start, end, kind := spans[i].Start, spans[i].End, spans[i].Kind
		for i++; i < len(spans) && spans[i].Start < end; i++ {
			end = max(end, spans[i].End)
		}
		start, end = max(start, pos), min(end, len(s))
		if start >= end {
			continue
		}
		b.WriteString(s[pos:start])
		b.WriteString(redactionPrefix + kind + "]")
		pos = end
		n++
	}
	b.WriteString(s[pos:])
	return b.String(), n
}
