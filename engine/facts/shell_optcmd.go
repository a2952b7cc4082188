package facts

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// commandOption is an option whose value a command runs as a shell command
// line: tar --to-command=CMD, rsync -e CMD. prefix, when set, must start
// the value and is removed (tar --checkpoint-action=exec=CMD).
type commandOption struct {
	short, long, prefix string
}

// commandOptions lists, per command name, the options that run their value.
var commandOptions = map[string][]commandOption{
	"tar": {
		{long: "--to-command"}, {long: "--checkpoint-action", prefix: "exec="},
		{short: "-F", long: "--info-script"}, {long: "--new-volume-script"},
		{short: "-I", long: "--use-compress-program"},
	},
	"rsync": {{short: "-e", long: "--rsh"}},
	"zip":   {{short: "-TT", long: "--unzip-command"}},
}

// sshCommandKeys are the ssh -o settings whose value ssh runs with a shell.
var sshCommandKeys = []string{"proxycommand", "localcommand", "knownhostscommand"}

// stdinRunners run the commands they read on stdin unless -f names a file.
var stdinRunners = map[string]bool{"at": true, "batch": true}

// optionCommands parses the command lines that options of the command name
// run (tar, rsync, zip, ssh -o ProxyCommand=...), and the heredoc given to
// at or batch.
func (w *shellWalker) optionCommands(sc *shellScope, name string, args []shellWord, st *syntax.Stmt) {
	for _, o := range commandOptions[name] {
		short := o.short
		if short == "" {
			short = o.long // no short spelling: match the long one only
		}
		for _, v := range optionValues(args, short, o.long) {
			if !v.lit {
				w.nested(sc, v)
				continue
			}
			if text, ok := strings.CutPrefix(v.val, o.prefix); ok {
				w.nested(sc, shellWord{val: text, lit: true})
			}
		}
	}
	switch name {
	case "ssh", "scp", "sftp":
		w.sshOptions(sc, args)
	case "at", "batch":
		if stdinRunnerReads(args) {
			w.stdinCommands(sc, st)
		}
	}
}

// sshOptions parses -o Key=Value and -o "Key Value" settings that run a
// command.
func (w *shellWalker) sshOptions(sc *shellScope, args []shellWord) {
	for _, opt := range optionValues(args, "-o", "") { // -o X, -oX, -vo X
		key, value, ok := strings.Cut(opt.val, "=")
		if !ok {
			key, value, _ = strings.Cut(opt.val, " ")
		}
		if slices.Contains(sshCommandKeys, strings.ToLower(strings.TrimSpace(key))) {
			w.nested(sc, shellWord{val: strings.TrimSpace(value), lit: opt.lit})
		}
	}
}

// stdinCommands parses the heredoc or here-string on a command's stdin.
func (w *shellWalker) stdinCommands(sc *shellScope, st *syntax.Stmt) {
	for _, r := range st.Redirs {
		if body, ok := sc.heredoc(r); ok {
			w.nested(sc, body)
		}
	}
}
