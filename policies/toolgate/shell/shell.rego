# METADATA
# title: Shell command analysis
# description: |
#   Turns the shell facts of the call (input.facts.shell) into what the rules of
#   toolgate.exec and toolgate.fs match on: the commands that run (wrappers such as
#   env, sudo, xargs, timeout and find -exec unwrapped), grouped by name; pipelines;
#   redirects; features; and the files the commands write. No violations are raised
#   here. Everything is computed once per decision and only for calls with shell facts.
package toolgate.shell

import data.toolgate.lib

fields := lib.fields("shell")

# facts maps each shell field to its fact, for facts that have the documented shape.
# Element types (strings in commands[].name/args, pipelines, redirects) are the
# engine's to guarantee; with strict builtin errors a wrong type fails the decision.
facts := {field: f |
	some field in fields
	f := input.facts.shell[field]
	f.ok == true
	is_array(f.commands)
	is_array(f.pipelines)
	is_array(f.redirects)
	type_name(f.features) in {"array", "set"}
}

# features[field] is the set of parser features of that field.
features := {field: {x | some x in f.features} | some field, f in facts}

# tags says what a command is, by its lower-cased name (one lookup in a literal
# table: a rule holding the table would be rebuilt on every decision):
#   wrapper          runs the command named by one of its arguments (sudo, env, xargs)
#   escalator        runs commands with other privileges
#   shell            a POSIX-like shell
#   script           another interpreter (python, python3.12, pypy3, perl, node ...)
#   downloader       fetches bytes from the network
#   decoder          turns encoded bytes back into text
#   netcat, relay    a netcat variant; anything that relays a stream over the network
#   power            may stop or restart the machine
#   disk             formats or wipes a disk (mkfs.* included)
#   mode             changes the mode or owner of files (chmod, chown, chgrp)
#   chdir            changes the working directory (cd, pushd)
#   fifo             makes a named pipe (mkfifo, mknod)
#   writes_*         which operands it writes (see written)
tags(name) := object.get(
	{
		"env": ["wrapper"],
		"nice": ["wrapper"],
		"nohup": ["wrapper"],
		"timeout": ["wrapper"],
		"time": ["wrapper"],
		"command": ["wrapper"],
		"exec": ["wrapper"],
		"builtin": ["wrapper"],
		"xargs": ["wrapper"],
		"stdbuf": ["wrapper"],
		"ionice": ["wrapper"],
		"setsid": ["wrapper"],
		"chroot": ["wrapper"],
		"strace": ["wrapper"],
		"ltrace": ["wrapper"],
		"busybox": ["wrapper"],
		"toybox": ["wrapper"],
		"unbuffer": ["wrapper"],
		"watch": ["wrapper"],
		"flock": ["wrapper"],
		"taskset": ["wrapper"],
		"chrt": ["wrapper"],
		"sudo": ["wrapper", "escalator"],
		"doas": ["wrapper", "escalator"],
		"pkexec": ["wrapper", "escalator"],
		"runuser": ["wrapper", "escalator"],
		"su": ["wrapper", "escalator"],
		"parallel": ["wrapper"],
		"nsenter": ["wrapper"],
		"unshare": ["wrapper"],
		"systemd-run": ["wrapper"],
		"sg": ["wrapper"],
		"script": ["wrapper"],
		"firejail": ["wrapper"],
		"proxychains": ["wrapper"],
		"proxychains4": ["wrapper"],
		"torsocks": ["wrapper"],
		"catchsegv": ["wrapper"],
		"caffeinate": ["wrapper"],
		"gdb": ["wrapper"],
		"valgrind": ["wrapper"],
		"cpulimit": ["wrapper"],
		"prlimit": ["wrapper"],
		"numactl": ["wrapper"],
		"sudoedit": ["escalator"],
		"ksu": ["escalator"],
		"setcap": ["escalator"],
		"sh": ["shell"],
		"bash": ["shell"],
		"zsh": ["shell"],
		"dash": ["shell"],
		"ksh": ["shell"],
		"mksh": ["shell"],
		"ash": ["shell"],
		"csh": ["shell"],
		"tcsh": ["shell"],
		"fish": ["shell"],
		"rbash": ["shell"],
		"yash": ["shell"],
		"perl": ["script", "writes_in_place"],
		"ruby": ["script"],
		"node": ["script"],
		"nodejs": ["script"],
		"php": ["script"],
		"lua": ["script"],
		"tclsh": ["script"],
		"pwsh": ["script"],
		"powershell": ["script"],
		"deno": ["script"],
		"bun": ["script"],
		"osascript": ["script"],
		"irb": ["script"],
		"jshell": ["script"],
		"rscript": ["script"],
		"source": ["script"],
		".": ["script"],
		"curl": ["downloader", "writes_output"],
		"wget": ["downloader", "writes_output"],
		"fetch": ["downloader"],
		"aria2c": ["downloader", "writes_output"],
		"axel": ["downloader"],
		"http": ["downloader", "writes_output"],
		"https": ["downloader"],
		"xh": ["downloader"],
		"lwp-request": ["downloader"],
		"lwp-download": ["downloader"],
		"get": ["downloader"],
		"tftp": ["downloader"],
		"ftp": ["downloader"],
		"nc": ["downloader", "netcat", "relay"],
		"ncat": ["downloader", "netcat", "relay"],
		"netcat": ["downloader", "netcat", "relay"],
		"socat": ["downloader", "relay"],
		"telnet": ["downloader", "relay"],
		"openssl": ["downloader", "decoder"],
		"base64": ["decoder"],
		"base32": ["decoder"],
		"basenc": ["decoder"],
		"xxd": ["decoder"],
		"uudecode": ["decoder"],
		"gunzip": ["decoder"],
		"zcat": ["decoder"],
		"gzip": ["decoder"],
		"bzip2": ["decoder"],
		"bunzip2": ["decoder"],
		"bzcat": ["decoder"],
		"xz": ["decoder"],
		"unxz": ["decoder"],
		"xzcat": ["decoder"],
		"zstd": ["decoder"],
		"unzstd": ["decoder"],
		"zstdcat": ["decoder"],
		"rev": ["decoder"],
		"nc.traditional": ["netcat", "relay"],
		"nc.openbsd": ["netcat", "relay"],
		"cryptcat": ["netcat", "relay"],
		"shutdown": ["power"],
		"reboot": ["power"],
		"halt": ["power"],
		"poweroff": ["power"],
		"init": ["power"],
		"telinit": ["power"],
		"systemctl": ["power"],
		"mkfs": ["disk"],
		"mke2fs": ["disk"],
		"mkswap": ["disk"],
		"wipefs": ["disk"],
		"blkdiscard": ["disk"],
		"mkdosfs": ["disk"],
		"cd": ["chdir"],
		"pushd": ["chdir"],
		"tee": ["writes_all"],
		"truncate": ["writes_all"],
		"touch": ["writes_all"],
		"rm": ["writes_all"],
		"rmdir": ["writes_all"],
		"unlink": ["writes_all"],
		"shred": ["writes_all"],
		"mkdir": ["writes_all"],
		"mv": ["writes_all"],
		"chmod": ["writes_all", "mode"],
		"chown": ["writes_all", "mode"],
		"chgrp": ["writes_all", "mode"],
		"chattr": ["writes_all"],
		"mkfifo": ["writes_all", "fifo"],
		"mknod": ["writes_all", "fifo"],
		"cp": ["writes_last"],
		"install": ["writes_last"],
		"ln": ["writes_last"],
		"rsync": ["writes_last", "syncer"],
		"tar": ["writes_extract"],
		"unzip": ["writes_extract"],
		"bsdtar": ["writes_extract"],
		"docker": ["container"],
		"podman": ["container"],
		"nerdctl": ["container"],
		"scp": ["writes_last"],
		"sed": ["writes_in_place"],
	},
	name,
	[],
) if {
	# the prefixed names (python3.12, pypy3, mkfs.ext4) are tagged below; checking
	# them with one builtin call keeps a lookup of any other name to one function
	# evaluation (a default computed by a function would be evaluated on every call)
	not strings.any_prefix_match(name, ["python", "pypy", "mkfs."])
} else := ["disk"] if {
	startswith(name, "mkfs.")
} else := ["script"]

# commands are the simple commands of every field, names lower-cased.
commands := [{"field": field, "name": lower(c.name), "args": c.args} |
	some field, f in facts
	some c in f.commands
]

# invocations lists every command that runs: each simple command, plus for a
# wrapper each command it may run (the command named by any of its non-option
# arguments, with the arguments after it; for find, the command after -exec).
invocations := array.concat(
	array.concat(commands, [inner |
		some c in commands
		"wrapper" in tags(c.name)
		some i, a in c.args
		not startswith(a, "-")
		inner := {"field": c.field, "name": file_name(a), "args": array.slice(c.args, i + 1, count(c.args))}
	]),
	[inner |
		some c in commands
		c.name == "find"
		some i, a in c.args
		a in {"-exec", "-execdir", "-ok", "-okdir"}
		inner := {"field": c.field, "name": file_name(c.args[i + 1]), "args": array.slice(c.args, i + 2, count(c.args))}
	],
)

# names is the set of command names that run.
names := {inv.name | some inv in invocations}

# named maps each tag to the names of the commands that run with that tag:
# named.shell is every shell that runs. Rules start with such a lookup, which fails
# at once when no such command runs.
named := {tag: {name | some [t, name] in tagged; t == tag} | some [tag, _] in tagged}

# tagged pairs each name that runs with each of its tags. named groups it with one
# comprehension per tag that OPA indexes on t (linear in the pairs; grouping by
# testing every name for every tag would be quadratic in the names, and a command
# line may hold a thousand).
tagged := {[tag, name] | some name in names; some tag in tags(name)}

# by_name groups the invocations by command name: rules start with a
# lookup in it, which fails at once when the command does not run.
by_name := {name: [inv | some inv in invocations; inv.name == name] | some name in names}

# pipelines lists every pipeline with its lower-cased command names.
pipelines := [{"field": field, "names": [lower(n) | some n in p]} |
	some field, f in facts
	some p in f.pipelines
]

redirects := [{"field": field, "op": r.op, "target": r.target} |
	some field, f in facts
	some r in f.redirects
]

# words[field] lists the arguments of the field's commands that may name a file,
# and its redirect targets, lower-cased: each argument that is not an option, and
# what follows the last "=", "@" or ":" of any argument, options included
# (curl -d @.env, wget --post-file=~/.ssh/id_rsa, dd if=.env, git show HEAD:.env),
# and the values of variable assignments (f=/etc/shadow; cat $f).
words := {field: array.concat(
	array.concat(
		[lower(w) | some c in f.commands; some a in c.args; some w in file_words(a)],
		[lower(r.target) | some r in f.redirects],
	),
	[lower(w) | some a in object.get(f, "assignments", []); some w in file_words(a)],
) |
	some field, f in facts
}

# file_words returns the parts of argument a that may name a file. Most arguments
# hold no "=", "@" or ":"; one regex test answers for them.
file_words(a) := [] if {
	startswith(a, "-")
	not regex.match(`[=@:]`, a)
} else := [a] if {
	not regex.match(`[=@:]`, a)
} else := [w |
	some w in {a, after_last(a, "="), after_last(a, "@"), after_last(a, ":")}
	w != ""
	not startswith(w, "-")
]

# after_last returns what follows the last sep in s; "" when s has no sep.
after_last(s, sep) := parts[count(parts) - 1] if {
	contains(s, sep)
	parts := split(s, sep)
} else := ""

# arg_after returns the argument after args[i]; "" for the last one.
arg_after(args, i) := args[i + 1] if {
	i + 1 < count(args)
} else := ""

# key_value splits args[i] into [key, value]: KEY=VALUE, or KEY and the next
# argument ("" for the last one). Options are read the same way: --opt=value and
# --opt value.
key_value(args, i) := [split(args[i], "=")[0], substring(args[i], indexof(args[i], "=") + 1, -1)] if {
	contains(args[i], "=")
} else := [args[i], arg_after(args, i)]

# operands returns the arguments that are not options.
operands(args) := [a | some a in args; not startswith(a, "-")]

# short_flags is true for a group of one-letter options such as -rf.
short_flags(a) if {
	startswith(a, "-")
	not startswith(a, "--")
}

# has_short_flag is true when some option group in args contains letter.
has_short_flag(args, letter) if {
	some a in args
	short_flags(a)
	contains(a, letter)
}

# write_targets lists the files the commands of a field write: redirect targets
# (not file descriptors), the operands of the commands tagged writes_*, and the value of
# output options written as one word (dd of=..., --output=..., --target-directory=...).
write_targets := ({{"field": r.field, "target": r.target} |
	some r in redirects
	contains(r.op, ">")
	trim(r.target, "0123456789-&") != ""
} | {{"field": inv.field, "target": t} |
	some inv in invocations
	some kind in tags(inv.name)
	startswith(kind, "writes_") # a builtin call, cheaper than a call of written that matches no definition
	some t in written(kind, inv.args)
}) | {{"field": inv.field, "target": substring(a, count(prefix), -1)} |
	some inv in invocations
	some a in inv.args
	contains(a, "=")
	some prefix in ["of=", "--output=", "--output-document=", "--target-directory="]
	startswith(a, prefix)
}

# write_paths are the write targets with the other places a relative target may
# land: below a directory the field changes into (cd .git/hooks && echo x > pre-commit),
# below the call's cwd argument, and a target that starts with a variable assigned in
# the same field, expanded (h=.git/hooks; echo x > $h/pre-commit). The path rules
# check all of them.
write_paths := (write_targets | {{"field": wt.field, "target": concat("/", [dir, wt.target])} |
	some wt in write_targets
	not startswith(wt.target, "/")
	some dir in chdirs[wt.field]
}) | ({{"field": wt.field, "target": concat("/", [input.tool.arguments.cwd, wt.target])} |
	some wt in write_targets
	not startswith(wt.target, "/")
	is_string(input.tool.arguments.cwd)
} | {{"field": wt.field, "target": concat("", [value, rest])} |
	some wt in write_targets
	startswith(wt.target, "$")
	some [name, value] in assigned[wt.field]
	some ref in [concat("", ["${", name, "}"]), concat("", ["$", name])]
	startswith(wt.target, ref)
	rest := substring(wt.target, count(ref), -1)
})

# chdirs[field] lists the directories the field's commands change into.
chdirs[field] := {dir |
	some name in named.chdir
	some inv in by_name[name]
	inv.field == field
	some dir in operands(inv.args)
} if {
	some field, _ in facts
}

# assigned[field] lists [name, value] for each variable assignment of the field.
assigned[field] := {[name, value] |
	some a in object.get(f, "assignments", [])
	i := indexof(a, "=")
	i > 0
	name := substring(a, 0, i)
	value := substring(a, i + 1, -1)
} if {
	some field, f in facts
}

written("writes_all", args) := operands(args)

written("writes_last", args) := {ops[count(ops) - 1] | ops := operands(args)} | {args[i + 1] | some i, a in args; a == "-t"}

written("writes_in_place", args) := operands(args) if {
	in_place(args)
} else := []

written("writes_extract", args) := array.concat(
	[arg_after(args, i) | some i, a in args; a in {"-C", "--directory", "-d"}],
	[substring(a, count("--directory="), -1) | some a in args; startswith(a, "--directory=")],
)

written("writes_output", args) := [args[i + 1] | some i, a in args; a in {"-o", "-O", "--output", "--output-document"}]

in_place(args) if has_short_flag(args, "i")

in_place(args) if {
	some a in args
	startswith(a, "--in-place")
}

# downloaded lists the names of files a field's commands may have downloaded: any
# file written in a field that runs a downloader, and the last path element of
# every URL a downloader is given (wget's default output name).
downloaded := {{"field": t.field, "name": file_name(t.target)} |
	some t in write_targets
	download_fields[t.field]
} | {{"field": inv.field, "name": url_basename(a)} |
	some name in named.downloader
	some inv in by_name[name]
	some a in inv.args
	contains(a, "://")
}

# download_fields are the fields that run a downloader.
download_fields := {inv.field | some name in named.downloader; some inv in by_name[name]}

url_basename(u) := file_name(split(split(u, "?")[0], "#")[0])

# target_path is the absolute form of a file a command writes: a relative target
# is taken from the workspace ws (the command's working directory), and empty and
# "." segments are dropped (/opt//app/./x is /opt/app/x). ".." segments are kept:
# the rules refuse a write through them rather than guess where it lands.
target_path(t, ws) := concat("", ["/", concat("/", [s | some s in split(abs, "/"); s != ""; s != "."])]) if {
	abs := object.get({true: t}, startswith(t, "/"), concat("/", [ws, t]))
}

# harmless_device is true for a device path p (absolute, cleaned) that writing to
# changes nothing on the machine: /dev/null, the standard streams, terminals,
# /dev/shm. /dev/tcp and /dev/udp are left to the dev_tcp feature's rules.
harmless_device(p) if p in {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/tty"}

harmless_device(p) if strings.any_prefix_match(p, ["/dev/fd/", "/dev/shm/", "/dev/pts/", "/dev/tcp/", "/dev/udp/"])

# file_name is how commands and files are compared by name: the last path element,
# lower-cased like command names (commands), so that ./Payload and curl -o Payload
# name the same file. On a case-sensitive file system this may also match another
# file of the same name in another case: a stricter answer, never a looser one.
file_name(p) := lower(lib.basename(p))
