package facts

import (
	"slices"
	"strings"
)

// Commands that run text of their own as shell commands: sg, and gdb's
// -ex commands (its program operand is unwrapped like a wrapper's).

// gdbValueWords are gdb's multi-letter single-dash options with a value.
var gdbValueWords = []string{"-ex", "-iex", "-ix", "-cd", "-se", "-eval-command", "-command"}

// gdbCommandOptions take one gdb command, which may be a shell escape.
var gdbCommandOptions = []string{"-ex", "-iex", "-eval-command", "--eval-command", "--init-eval-command"}

// sg runs its command text with sh -c: sg GROUP -c TEXT, or sg GROUP TEXT.
func (w *shellWalker) sg(sc *shellScope, args []shellWord) {
	if texts := optionValues(args, "-c", "--command"); len(texts) > 0 {
		for _, text := range texts {
			w.nested(sc, text)
		}
		return
	}
	if i := firstOperand(args); i >= 0 && i+1 < len(args) {
		w.nestedJoin(sc, args[i+1:])
	}
}

// debuggerCommands parses the shell escapes of gdb's -ex commands
// ("shell TEXT" and "!TEXT" run TEXT with sh -c); the program it runs is
// listed as a wrapped command (wrappers["gdb"]).
func (w *shellWalker) debuggerCommands(sc *shellScope, args []shellWord) {
	for i := 0; i < len(args) && args[i].val != "--args"; i++ {
		var v shellWord
		switch opt, val, attached := strings.Cut(args[i].val, "="); {
		case attached && slices.Contains(gdbCommandOptions, opt): // --eval-command=CMD
			v = shellWord{val: val, lit: args[i].lit}
		case slices.Contains(gdbCommandOptions, args[i].val) && i+1 < len(args):
			i++
			v = args[i]
		default:
			continue
		}
		if !v.lit {
			w.nested(sc, v) // built at run time: refused like eval
			continue
		}
		w.gdbCommand(sc, strings.TrimSpace(v.val))
	}
}

// gdbCommand handles one gdb command: a shell escape ("!TEXT", "shell
// TEXT" or an abbreviation such as "she TEXT") is parsed as shell text;
// code gdb runs in another language (python, guile) or a pipe through a
// shell command is code the fact cannot show, flagged like eval.
func (w *shellWalker) gdbCommand(sc *shellScope, text string) {
	if rest, ok := strings.CutPrefix(text, "!"); ok {
		w.nested(sc, shellWord{val: rest, lit: true})
		return
	}
	word, rest, _ := strings.Cut(text, " ")
	switch {
	case len(word) >= len("she") && strings.HasPrefix("shell", word):
		w.nested(sc, shellWord{val: rest, lit: true})
	case slices.Contains(gdbForeignCode, word) || strings.HasPrefix(word, "|"):
		w.features |= featEval
	}
}

// gdbForeignCode are gdb commands that run code in another language or
// pipe output through a shell command.
var gdbForeignCode = []string{"python", "py", "python-interactive", "pi", "guile", "gu", "pipe", "source"}
