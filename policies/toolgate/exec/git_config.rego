# Git settings that run commands
#
# git config (or git -c) setting a key whose value git runs as a command or a
# hook directory: core.hooksPath, core.fsmonitor, core.sshCommand, core.pager,
# filter drivers, credential helpers, '!' aliases ... The next git command an
# agent or a developer runs executes it, like a write to .git/hooks.
package toolgate.exec

import data.toolgate.shell

# METADATA
# title: Git setting that runs commands
# description: git config core.fsmonitor 'curl ...|sh', git -c core.sshCommand=... fetch, git config alias.x '!sh'
# custom:
#   code: persistence
#   severity: critical
found_command.git contains v if {
	some inv in shell.by_name.git
	not git_config_read(inv.args)
	some key in git_command_keys(inv.args)
	v := {"code": "persistence", "severity": "critical", "field": inv.field, "message": sprintf("git sets %s, which runs commands", [key])}
}

# git_command_keys lists the keys set in args whose value git runs: the keys of
# git_exec_keys, and an alias whose value starts with "!" (a shell command). A key
# is read as KEY=VALUE or KEY VALUE (shell.key_value).
git_command_keys(args) := {key |
	some i in git_set_indexes(args)
	[k, value] := shell.key_value(args, i)
	key := lower(k)
	git_runs(key, value)
} | {key |
	# git --config-env=KEY=ENVVAR cmd: the value comes from the environment, unseen
	some a in args
	startswith(a, "--config-env=")
	key := lower(split(substring(a, count("--config-env="), -1), "=")[0])
	git_runs(key, "!")
}

git_runs(key, _) if regex.match(git_exec_keys, key)

git_runs(key, value) if {
	startswith(key, "alias.")
	startswith(trim_left(value, " \"'"), "!")
}

# git_set_indexes are the indexes of the words of args that may name a key being
# set: every word after the config subcommand, and the word after each -c
# (git -c KEY=VALUE cmd). A commit message mentioning core.pager is not one.
git_set_indexes(args) := {j | some i, x in args; x == "-c"; j := i + 1; j < count(args)} | {j |
	some i, x in args
	x == "config"
	some j, _ in args
	j > i
}

# git_exec_keys matches the lower-cased configuration keys whose value git runs as
# a command, or that point git at hooks or other configuration.
git_exec_keys := `^(core\.(hookspath|fsmonitor|sshcommand|pager|editor|askpass|gitproxy|alternaterefscommand)|sequence\.editor|diff\.external|diff\..+\.(command|textconv)|merge\..+\.driver|filter\..+\.(clean|smudge|process)|credential\.(.+\.)?helper|uploadpack\.packobjectshook|gpg\.(.+\.)?program|pager\..+|include\.path|includeif\..+\.path|remote\..+\.(uploadpack|receivepack|proxy)|protocol\.(ext\.)?allow|url\..+\.insteadof)$`

# git_config_read: git config only reads (--get, --list, get, list given before any
# operand: a value "list" set by git config core.fsmonitor list is no read) and no -c
# sets a key for the command.
git_config_read(args) if {
	not "-c" in args
	some i, x in args
	x == "config"
	some j, a in args
	j > i
	a in {"--get", "--get-all", "--get-regexp", "--list", "-l", "get", "list"}
	count([w | some k, w in args; k > i; k < j; not startswith(w, "-")]) == 0
}
