# Commands that outlive the call or wipe a tree by another name: installing a cron
# table, rsync --delete into a root, home or system directory.
package toolgate.exec

import data.toolgate.shell

# METADATA
# title: Cron table installed
# description: crontab FILE, crontab - (from stdin), crontab -e; listing (crontab -l) is allowed.
# custom:
#   code: persistence
#   severity: critical
found_command.crontab contains v if {
	some inv in shell.by_name.crontab
	not crontab_reads(inv.args)
	v := {"code": "persistence", "severity": "critical", "field": inv.field, "message": "crontab installs, edits or removes a cron table"}
}

# crontab_reads: crontab only lists (-l), possibly for a user (-u NAME -l).
crontab_reads(args) if {
	"-l" in args
	every i, a in args {
		crontab_read_word(args, i, a)
	}
}

crontab_read_word(_, _, "-l")

crontab_read_word(_, _, "-u")

crontab_read_word(args, i, _) if {
	i > 0
	args[i - 1] == "-u"
}

# METADATA
# title: rsync deleting into a root, home or system directory
# description: rsync -a --delete /tmp/empty/ / empties the destination like rm -rf.
# custom:
#   code: destructive_command
#   severity: critical
found_tag.syncer contains v if {
	some name in shell.named.syncer
	some inv in shell.by_name[name]
	some a in inv.args
	startswith(a, "--del")
	ops := shell.operands(inv.args)
	dest := ops[count(ops) - 1]
	root_like(dest)
	v := {"code": "destructive_command", "severity": "critical", "field": inv.field, "message": sprintf("%s %s deletes what is not in the source from %s", [name, a, dest])}
}
