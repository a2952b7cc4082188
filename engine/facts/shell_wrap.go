package facts

import (
	"fmt"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// wrapperSpec says how a command that runs another command takes its own
// options: which short options take a value, which long ones take the next
// word, how many operands come before the wrapped command, and whether
// NAME=value words are skipped (env).
type wrapperSpec struct {
	argOpts    string
	longArgs   []string
	positional int
	assigns    bool
	// after, when set, is a word after which the wrapped command starts
	// (gdb --args prog ...): the words before it are the wrapper's own.
	after string
	// dashWords are single-dash options of several letters that take the
	// next word (gdb -ex CMD, -iex CMD); they are not letter groups.
	dashWords []string
}

var wrappers = map[string]wrapperSpec{
	"env":     {argOpts: "uCS", longArgs: []string{"--unset", "--chdir", "--split-string"}, assigns: true},
	"nohup":   {},
	"timeout": {argOpts: "sk", longArgs: []string{"--signal", "--kill-after"}, positional: 1},
	"nice":    {argOpts: "n", longArgs: []string{"--adjustment"}},
	"command": {},
	"builtin": {},
	"exec":    {argOpts: "a"},
	"busybox": {},
	"sudo": {argOpts: "ugCDprtUTRa", longArgs: []string{"--user", "--group", "--close-from", "--chdir",
		"--prompt", "--role", "--type", "--other-user", "--command-timeout", "--chroot", "--host"}},
	"doas":     {argOpts: "uC"},
	"pkexec":   {longArgs: []string{"--user"}},
	"runuser":  {argOpts: "ugGcsw", longArgs: []string{"--user", "--group", "--supp-group", "--command", "--shell"}},
	"setsid":   {},
	"stdbuf":   {argOpts: "ioe", longArgs: []string{"--input", "--output", "--error"}},
	"chroot":   {longArgs: []string{"--userspec", "--groups"}, positional: 1},
	"ionice":   {argOpts: "cnpPu"},
	"taskset":  {positional: 1},
	"time":     {argOpts: "fo", longArgs: []string{"--format", "--output"}},
	"strace":   {argOpts: "oeEpPsSuIXba"},
	"ltrace":   {argOpts: "aADeFlnopsuwx"},
	"valgrind": {},
	"unbuffer": {},
	"firejail": {},
	"flock":    {argOpts: "wEc", longArgs: []string{"--timeout", "--conflict-exit-code", "--command"}, positional: 1},
	"chrt":     {positional: 1},
	"cpulimit": {argOpts: "lpe", longArgs: []string{"--limit", "--pid", "--exe"}},
	"prlimit":  {argOpts: "p", longArgs: []string{"--pid"}},
	"numactl":  {argOpts: "CNmMpPi"},
	"gdb": {argOpts: "xpcdse", longArgs: []string{"--eval-command", "--command", "--pid", "--core", "--directory",
		"--init-eval-command", "--init-command", "--symbols", "--exec", "--cd"}, after: "--args", dashWords: gdbValueWords},
	"xargs": {argOpts: "adEILnPs", longArgs: []string{"--arg-file", "--delimiter", "--max-lines",
		"--max-args", "--max-procs", "--max-chars", "--process-slot-var"}},
}

// watchOptions are the options of watch(1) that take a value.
var watchOptions = wrapperSpec{argOpts: "nq", longArgs: []string{"--interval", "--equexit"}}

// shells take shell text with -c, a script operand, or commands on stdin.
var shells = map[string]bool{
	"sh": true, "bash": true, "rbash": true, "zsh": true, "dash": true, "ksh": true, "ksh93": true,
	"mksh": true, "lksh": true, "ash": true, "yash": true, "posh": true, "fish": true, "csh": true, "tcsh": true,
}

// errWrapHops refuses a wrapper chain (or find -exec nesting) longer than
// maxWrapHops: the commands past it would go unlisted, so the fact is not ok.
var errWrapHops = fmt.Errorf("more than %d nested wrapper commands", maxWrapHops)

// wrapLimit records that a wrapper chain was cut short at maxWrapHops.
func (w *shellWalker) wrapLimit() {
	if w.err == nil {
		w.err = errWrapHops
	}
}

// simple handles a simple command: it and every command it wraps.
func (w *shellWalker) simple(sc *shellScope, words []shellWord, st *syntax.Stmt, hops int) {
	if eachWrapped(words, func(c []shellWord) bool {
		return w.err == nil && w.command(sc, c, st, hops)
	}) {
		w.wrapLimit()
	}
}

// eachWrapped calls fn with the command and then each command it wraps,
// until fn returns false: sudo -u x env A=1 nohup rm -rf / gives
// [sudo …], [env …], [nohup …], [rm …]. It reports cut when the chain has
// more than maxWrapHops wrappers and a wrapped command was left out; the
// caller must then refuse the fact.
func eachWrapped(words []shellWord, fn func([]shellWord) bool) (cut bool) {
	for range maxWrapHops + 1 {
		if !fn(words) || !words[0].lit {
			return false
		}
		spec, ok := wrappers[commandName(words[0].val)]
		if !ok {
			return false
		}
		i, ok := unwrapIndex(spec, words[1:])
		if !ok {
			return false
		}
		words = words[1+i:]
	}
	return true
}

// innermost is the last command of a wrapper chain: what actually runs.
// cut is set when the chain is longer than maxWrapHops, and then last is
// not what runs.
func innermost(words []shellWord) (last []shellWord, cut bool) {
	last = words
	cut = eachWrapped(words, func(c []shellWord) bool { last = c; return true })
	return last, cut
}

// unwrapIndex finds the wrapped command in a wrapper's arguments.
func unwrapIndex(spec wrapperSpec, args []shellWord) (int, bool) {
	pos := spec.positional
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case !a.lit:
			return i, true // a dynamic word where the command goes: list it as dynamic
		case spec.after != "" && a.val == spec.after:
			return i + 1, i+1 < len(args)
		case slices.Contains(spec.dashWords, a.val):
			i++
		case a.val == "--":
			return skipPositional(args, i+1, pos)
		case a.val == "-": // env's old spelling of -i
		case len(a.val) > 1 && a.val[0] == '-':
			i += optionValueWords(spec, a.val)
		case spec.assigns && strings.IndexByte(a.val, '=') > 0:
		case pos > 0:
			pos--
		default:
			return i, true
		}
	}
	return 0, false
}

func skipPositional(args []shellWord, i, pos int) (int, bool) {
	i += pos
	return i, i < len(args)
}

// optionValueWords is how many following words an option word consumes.
func optionValueWords(spec wrapperSpec, opt string) int {
	if strings.HasPrefix(opt, "--") {
		if strings.IndexByte(opt, '=') < 0 && slices.Contains(spec.longArgs, opt) {
			return 1
		}
		return 0
	}
	for j := 1; j < len(opt); j++ {
		if strings.IndexByte(spec.argOpts, opt[j]) >= 0 {
			if j == len(opt)-1 {
				return 1 // -u root: the value is the next word
			}
			return 0 // -uroot: the value is attached
		}
	}
	return 0
}

// command records one command and parses any shell text it runs.
func (w *shellWalker) command(sc *shellScope, words []shellWord, st *syntax.Stmt, hops int) bool {
	argv0 := words[0]
	c := ShellCommand{Argv0: argv0.val, Name: argv0.val, Dynamic: !argv0.lit, Args: make([]string, len(words)-1)}
	if argv0.lit {
		c.Name = commandName(argv0.val)
	}
	for i, a := range words[1:] {
		c.Args[i] = a.val
	}
	if !w.addCommand(c) || c.Dynamic {
		return w.err == nil
	}
	args := words[1:]
	switch c.Name {
	case "eval":
		w.features |= featEval
		w.nestedJoin(sc, args)
	case "su", "runuser", "script", "flock":
		// script -c and flock -c run their text with sh -c, as su -c does
		for _, text := range optionValues(args, "-c", "--command") {
			w.nested(sc, text)
		}
	case "sg":
		w.sg(sc, args)
	case "gdb":
		w.debuggerCommands(sc, args)
	case "env":
		for _, text := range optionValues(args, "-S", "--split-string") {
			w.nested(sc, text)
		}
	case "trap":
		if i := firstOperand(args); i >= 0 {
			w.nestedJoin(sc, args[i:i+1])
		}
	case "watch":
		if i, ok := unwrapIndex(watchOptions, args); ok {
			w.nestedJoin(sc, args[i:]) // watch runs its operands with sh -c
		}
	case "alias":
		w.aliases(sc, args)
	case "find":
		w.findExec(sc, args, st, hops)
	default:
		if shells[c.Name] {
			w.shell(sc, args, st)
		}
	}
	w.optionCommands(sc, c.Name, args, st)
	return w.err == nil
}

// nested parses shell text found inside a command one level deeper. Text
// that is not a literal (bash -c "$CMD", su -c "$(cat x)", trap "$X" EXIT)
// is only known at run time: like eval of such text it is marked with the
// eval feature, which the policies refuse as an obfuscated command.
func (w *shellWalker) nested(sc *shellScope, s shellWord) {
	if !s.lit {
		w.features |= featEval
		return
	}
	if w.err != nil {
		return
	}
	w.features |= featNestedShell
	if err := w.parse(s.val, sc.depth+1); err != nil {
		w.err = err
	}
}

// nestedJoin parses words joined by spaces, as eval and watch do.
func (w *shellWalker) nestedJoin(sc *shellScope, args []shellWord) {
	if len(args) == 0 {
		return
	}
	parts := make([]string, len(args))
	for i, a := range args {
		if !a.lit {
			w.nested(sc, a) // text built at run time
			return
		}
		parts[i] = a.val
	}
	w.nested(sc, shellWord{val: strings.Join(parts, " "), lit: true})
}

// aliases parses the value of each alias name=value: it runs when used. A
// word that is not a literal (alias x="$Y", alias "$DEF") may define an
// alias to text only known at run time.
func (w *shellWalker) aliases(sc *shellScope, args []shellWord) {
	for _, a := range args {
		if !a.lit {
			w.nested(sc, a)
			continue
		}
		if _, v, ok := strings.Cut(a.val, "="); ok {
			w.nested(sc, shellWord{val: v, lit: true})
		}
	}
}

// findExec lists the commands of find's -exec, -execdir, -ok and -okdir.
func (w *shellWalker) findExec(sc *shellScope, args []shellWord, st *syntax.Stmt, hops int) {
	for i := 0; i < len(args) && w.err == nil; i++ {
		switch args[i].val {
		case "-exec", "-execdir", "-ok", "-okdir":
		default:
			continue
		}
		j := i + 1
		for j < len(args) && (!args[j].lit || (args[j].val != ";" && args[j].val != "+")) {
			j++
		}
		if j > i+1 {
			if hops >= maxWrapHops {
				w.wrapLimit() // find -exec find -exec …: the rest would go unlisted
				return
			}
			w.simple(sc, args[i+1:j], st, hops+1)
		}
		i = j
	}
}

// optionValues returns every value given to an option, in order: -c TEXT,
// -cTEXT, a group ending in the letter (-qc TEXT), --command TEXT and
// --command=TEXT. Every one counts: a command may use the last of repeated
// options (tar --to-command=true --to-command='rm x'), so judging only the
// first would hide what runs. long may be "" for an option without a long
// spelling. A value that is not a literal is returned as is (lit false).
func optionValues(args []shellWord, short, long string) []shellWord {
	var out []shellWord
	hasLong := long != ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		v := a.val
		switch {
		case hasLong && strings.HasPrefix(v, long+"="):
			out = append(out, shellWord{val: v[len(long)+1:], lit: a.lit})
		case strings.HasPrefix(v, short) && len(v) > len(short):
			out = append(out, shellWord{val: v[len(short):], lit: a.lit})
		case !a.lit:
		case (hasLong && v == long) || v == short || (len(v) > 2 && v[0] == '-' && v[1] != '-' && v[len(v)-1] == short[1]):
			if i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		}
	}
	return out
}

// optionValue returns the first value given to an option (optionValues).
func optionValue(args []shellWord, short, long string) (shellWord, bool) {
	if vs := optionValues(args, short, long); len(vs) > 0 {
		return vs[0], true
	}
	return shellWord{}, false
}

// firstOperand is the index of the first argument that is not an option.
func firstOperand(args []shellWord) int {
	for i, a := range args {
		if a.val == "--" {
			if i+1 < len(args) {
				return i + 1
			}
			return -1
		}
		if !a.lit || !strings.HasPrefix(a.val, "-") {
			return i
		}
	}
	return -1
}
