# Commands that damage the machine or take its privileges: recursive deletes of a
# root, home or system directory, disk formatting, shutdown, dangerous mode changes,
# setuid, writes to system paths and devices, sudo and the like.
package toolgate.exec

import data.toolgate.shell

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
	some wt in shell.write_targets
	not startswith(wt.target, "/")
	some dir in shell.chdirs[wt.field]
	system_target(dir)
	v := {"code": "system_file_write", "severity": "critical", "field": wt.field, "message": sprintf("writes %s after changing into %s", [wt.target, dir])}
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
