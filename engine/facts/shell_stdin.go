package facts

import (
	"errors"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// How a shell invocation gets its commands.
type shellInput int

const (
	shellFromScript shellInput = iota // a script file operand
	shellFromDashC                    // the -c string
	shellFromStdin                    // standard input: a heredoc or a pipe
)

// shellInvocation reads a shell's arguments: -c (also combined, -xc) makes
// the first operand the command text; -s, or no operand at all, reads
// stdin; otherwise the first operand is a script file.
func shellInvocation(args []shellWord) (shellWord, shellInput) {
	dashC, dashS, endOpts := false, false, false
	for i := 0; i < len(args); i++ {
		a := args[i]
		v := a.val
		switch {
		case !endOpts && a.lit && (v == "--" || v == "-"):
			endOpts = true
			continue
		case !endOpts && a.lit && len(v) > 1 && (v[0] == '-' || v[0] == '+'):
			if strings.HasPrefix(v, "--") {
				if v == "--rcfile" || v == "--init-file" {
					i++
				}
				continue
			}
			dashC = dashC || (v[0] == '-' && strings.IndexByte(v, 'c') > 0)
			dashS = dashS || strings.IndexByte(v, 's') > 0
			if strings.ContainsAny(v[1:], "oO") {
				i++ // -o option / -O shopt name
			}
			continue
		}
		switch {
		case dashC:
			return a, shellFromDashC
		case dashS:
			return shellWord{}, shellFromStdin
		}
		return a, shellFromScript
	}
	if dashC {
		return shellWord{}, shellFromScript // -c without text: bash refuses it
	}
	return shellWord{}, shellFromStdin
}

// shell parses the text a shell command runs: its -c string, or the
// heredoc or here-string on its stdin.
func (w *shellWalker) shell(sc *shellScope, args []shellWord, st *syntax.Stmt) {
	text, input := shellInvocation(args)
	switch input {
	case shellFromDashC:
		w.nested(sc, text)
	case shellFromStdin:
		w.stdinCommands(sc, st)
	}
}

// heredoc returns the text a <<, <<- or <<< redirect feeds to stdin.
func (sc *shellScope) heredoc(r *syntax.Redirect) (shellWord, bool) {
	switch r.Op {
	case syntax.WordHdoc:
		return sc.word(r.Word), true
	case syntax.Hdoc, syntax.DashHdoc:
	default:
		return shellWord{}, false
	}
	if r.Hdoc == nil {
		return shellWord{val: "", lit: true}, true
	}
	quotedDelim := sc.word(r.Word).val != sc.source(r.Word)
	var b strings.Builder
	for _, p := range r.Hdoc.Parts {
		lit, ok := p.(*syntax.Lit)
		if !ok {
			return shellWord{}, false // expansions in the body: not literal
		}
		if quotedDelim {
			b.WriteString(lit.Value) // <<'EOF': the body is taken as is
		} else {
			b.WriteString(unescapeDouble(lit.Value))
		}
	}
	return shellWord{val: b.String(), lit: true}, true
}

// pipeFeed parses what `echo …` or `printf …` writes into a shell reading
// its stdin on the next pipeline stage: echo 'rm -rf /' | sh.
func (w *shellWalker) pipeFeed(sc *shellScope, from, to *syntax.Stmt) {
	dst, ok := to.Cmd.(*syntax.CallExpr)
	src, ok2 := from.Cmd.(*syntax.CallExpr)
	if !ok || !ok2 || len(dst.Args) == 0 || len(src.Args) == 0 {
		return
	}
	dstWords := sc.words(dst.Args)
	last, cut := innermost(dstWords)
	if cut {
		w.wrapLimit()
		return
	}
	if w.xargsFeed(sc, dstWords, last, src, to) {
		return
	}
	if !readsCommands(last) {
		return
	}
	if text, ok := w.echoed(sc, src); ok {
		w.nested(sc, text)
	}
}

// readsCommands: the command runs the commands it reads on stdin (a shell
// without -c or a script, at or batch without -f).
func readsCommands(words []shellWord) bool {
	if !words[0].lit {
		return false
	}
	name := commandName(words[0].val)
	if stdinRunners[name] {
		return stdinRunnerReads(words[1:])
	}
	_, input := shellInvocation(words[1:])
	return shells[name] && input == shellFromStdin
}

// stdinRunnerReads: at or batch with args reads its commands on stdin (no
// -f file).
func stdinRunnerReads(args []shellWord) bool {
	_, file := optionValue(args, "-f", "--file")
	return !file
}

// xargsFeed handles `echo / | xargs rm -rf`: xargs appends what it reads to
// the command it runs, so the command is listed again with the echoed words
// as its last arguments (split on blanks, as xargs does). Without this the
// policies would see rm -rf with no operand at all.
func (w *shellWalker) xargsFeed(sc *shellScope, dstWords, inner []shellWord, src *syntax.CallExpr, to *syntax.Stmt) bool {
	if !dstWords[0].lit || commandName(dstWords[0].val) != "xargs" || len(inner) == len(dstWords) {
		return false
	}
	text, ok := w.echoed(sc, src)
	if !ok {
		return true
	}
	fed := append([]shellWord(nil), inner...)
	for _, f := range strings.Fields(text.val) {
		fed = append(fed, shellWord{val: f, lit: true})
	}
	w.simple(sc, fed, to, 0)
	return true
}

// echoed is what the command src, possibly wrapped, writes when it is echo
// or printf; a wrapper chain cut short sets the walker error instead.
func (w *shellWalker) echoed(sc *shellScope, src *syntax.CallExpr) (shellWord, bool) {
	words, cut := innermost(sc.words(src.Args))
	if cut {
		w.wrapLimit()
		return shellWord{}, false
	}
	return echoText(words)
}

// echoText is the literal output of echo or of printf without format
// directives; escapes are decoded since echo -e and printf decode them.
func echoText(words []shellWord) (shellWord, bool) {
	if !words[0].lit {
		return shellWord{}, false
	}
	args := words[1:]
	for _, a := range args {
		if !a.lit {
			return shellWord{}, false
		}
	}
	switch commandName(words[0].val) {
	case "echo":
		for len(args) > 0 && len(args[0].val) > 1 && args[0].val[0] == '-' && strings.Trim(args[0].val[1:], "neE") == "" {
			args = args[1:]
		}
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.val
		}
		return shellWord{val: decodeANSIC(strings.Join(parts, " ")), lit: true}, true
	case "printf":
		if len(args) == 0 || strings.IndexByte(args[0].val, '%') >= 0 {
			return shellWord{}, false
		}
		return shellWord{val: decodeANSIC(args[0].val), lit: true}, true
	}
	return shellWord{}, false
}

// commandNames lists the commands a statement runs, wrapped ones included,
// for pipelines and the function call graph. Nested -c text is not parsed
// here: the main walk does that once.
func (w *shellWalker) commandNames(sc *shellScope, st *syntax.Stmt) []string {
	var names []string
	syntax.Walk(st, func(n syntax.Node) bool {
		if w.err != nil {
			return false
		}
		if w.nodeBudget--; w.nodeBudget < 0 {
			w.err = errors.New("pipelines or function definitions nested too deeply")
			return false
		}
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		if eachWrapped(sc.words(call.Args), func(c []shellWord) bool {
			if c[0].lit {
				names = append(names, commandName(c[0].val))
			} else {
				names = append(names, c[0].val)
			}
			return true
		}) {
			w.wrapLimit()
			return false
		}
		return true
	})
	return names
}
