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
