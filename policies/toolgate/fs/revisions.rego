# A git revision argument may name a file's content: HEAD:.env, :.env (the index),
# main:~/.ssh/id_rsa. git_show and git_diff print it, so the path after the colon is
# judged like any path a tool reads.
package toolgate.fs

import data.toolgate.shell

# METADATA
# title: Sensitive file named by a revision
# description: A revision or target argument of the form <rev>:<path> whose path is sensitive (git_show HEAD:.env).
# custom:
#   code: sensitive_path
#   severity: critical
revision_violations contains v if {
	some arg in revision_arguments
	rev := input.tool.arguments[arg]
	is_string(rev)
	contains(rev, ":")
	p := trim_prefix(shell.after_last(lower(rev), ":"), "./")
	sensitive_word(p, sensitive_cfg)
	v := {"code": "sensitive_path", "severity": "critical", "field": concat(".", ["arguments", arg]), "message": sprintf("the revision %s names %s, a credential or system secret", [rev, p])}
}

# revision_arguments are the arguments of git tools that take a revision.
revision_arguments := ["revision", "target", "base_branch"]
