package facts

import (
	"slices"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// maxBraceWords bounds the words one command's brace expansions may produce;
// {1..100}{1..100} must not become ten thousand arguments.
const maxBraceWords = 256

// expandBraces resolves a command's words as bash would after brace
// expansion: {rm,-rf,/} is the three words rm -rf /, and /{etc,usr} is two
// operands. Without this a policy would see one harmless-looking literal.
// An expansion over the bound leaves the words unexpanded but still marks
// brace_expansion, which the policies treat as obfuscation.
func (w *shellWalker) expandBraces(sc *shellScope, args []*syntax.Word) []shellWord {
	out := make([]shellWord, 0, len(args))
	for _, arg := range args {
		words, ok := braceWords(arg)
		switch {
		case len(words) == 1 && ok:
			out = append(out, sc.word(arg)) // "{}" or "x{": nothing to expand
			continue
		case !ok:
			w.features |= featBraceExpansion
			return sc.words(args)
		}
		w.features |= featBraceExpansion
		for _, word := range words {
			if len(out) >= maxBraceWords {
				return sc.words(args)
			}
			out = append(out, sc.word(word))
		}
	}
	return out
}

// braceWords expands one word's braces on a copy, leaving the parsed tree
// as it was. ok is false when the expansion is over the bound.
func braceWords(arg *syntax.Word) (words []*syntax.Word, ok bool) {
	if !hasBraces(arg) {
		return []*syntax.Word{arg}, true
	}
	cp := &syntax.Word{Parts: slices.Clone(arg.Parts)}
	if !syntax.SplitBraces(cp) {
		return []*syntax.Word{arg}, true
	}
	for word, err := range expand.BracesSeq(nil, cp) {
		if err != nil || len(words) >= maxBraceWords {
			return nil, false
		}
		words = append(words, word)
	}
	return words, true
}

// hasBraces is a cheap pre-check: only a word with a literal '{' can hold a
// brace expansion.
func hasBraces(w *syntax.Word) bool {
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok {
			for i := 0; i < len(l.Value); i++ {
				if l.Value[i] == '{' {
					return true
				}
			}
		}
	}
	return false
}
