# METADATA
# title: File paths
# description: |
#   Path arguments (input.facts.paths) must stay inside the workspace, carry no NUL
#   byte, name no credential or system secret, and writes may not touch protected
#   paths. Shell commands are checked for sensitive paths and protected write targets
#   too (best effort on the raw words: the sandbox is the backstop).
package toolgate.fs

import data.toolgate.lib
import data.toolgate.shell
import data.toolgate.tables

# violations of the path facts: empty, without evaluating each finding, when every
# path fact is usable, stays inside the workspace, and no path can be sensitive or,
# for a write, protected (the quick patterns of toolgate.tables match every path
# those rules might, and more), and the call does not change the workspace root.
# Otherwise every finding that applies. Most file calls take the first path.
violations := set() if {
	quick_re := quick_re_for(lib.class)
	every field in fields {
		f := input.facts.paths[field]
		f.ok == true
		f.inside_workspace == true
		f.dotdot == false
		f.nul == false
		is_string(f.decoded)
		not startswith(f.decoded, "~")
		is_string(f.clean)
		is_string(object.get(f, "real", ""))
		not regex.match(quick_re, concat("", ["/", lower(f.clean), "/"]))
		not regex.match(quick_re, concat("", ["/", lower(object.get(f, "real", f.clean)), "/"]))
		not changes_root(f)
	}
} else := findings

fields := lib.fields("path")

# quick_re_for returns the quick-test pattern of a call of class: the write pattern
# for the classes that write, the read pattern otherwise. Direct lookups, so that
# evaluated as rules (opa test, opa eval) the tables build one pattern.
quick_re_for(class) := re if {
	re := tables.quick_re[class]
} else := tables.quick_re_read

# facts maps each path field to its fact, for facts that have the documented shape.
facts := {field: f |
	some field in fields
	f := input.facts.paths[field]
	f.ok == true
	is_string(f.decoded)
	is_string(f.clean)
	is_boolean(f.inside_workspace)
	is_boolean(f.dotdot)
	is_boolean(f.nul)
	is_string(object.get(f, "real", ""))
}

# paths lists, per field, the lower-cased paths a fact stands for (clean, and real
# when known) with their segments.
paths := {{"field": field, "path": p, "segments": split(p, "/")} |
	some field, f in facts
	some p in {lower(f.clean), lower(object.get(f, "real", f.clean))}
}

# writes is true when the tool's path arguments are written, moved or deleted.
default writes := false

writes if lib.class in write_classes

# write_classes are the classes whose path arguments are written.
write_classes := ["fs_write", "fs_delete", "git_write", "shell"]

# settings.sensitive_paths, lower-case strings (see docs/policy-authoring.md).
sensitive_cfg := object.get(data.toolgate.settings, "sensitive_paths", {})

protected := object.get(data.toolgate.settings, "protected_paths", [])

# METADATA
# title: Path not usable
# description: A path argument has no usable fact (not a string, unparsable).
# custom:
#   code: path_invalid
#   severity: high
findings contains v if {
	some field in fields
	not facts[field]
	v := {"code": "path_invalid", "severity": "high", "field": field, "message": "the path could not be interpreted"}
}

# METADATA
# title: NUL byte in a path
# description: The path contains a NUL byte, raw or percent-encoded.
# custom:
#   code: path_nul_byte
#   severity: high
findings contains v if {
	some field, f in facts
	f.nul
	v := {"code": "path_nul_byte", "severity": "high", "field": field, "message": "the path contains a NUL byte"}
}

# METADATA
# title: Path leaves the workspace
# description: |
#   The cleaned or symlink-resolved path is not the workspace or below it; or a
#   segment of the decoded path is made of dots only (.., ..., .. .) in any spelling
#   (percent-encoded, double-encoded, backslashes); or the path starts with ~.
# custom:
#   code: path_traversal
#   severity: high
findings contains v if {
	some field, f in facts
	message := traversal(f)
	v := {"code": "path_traversal", "severity": "high", "field": field, "message": message}
}

# METADATA
# title: Sensitive path
# description: |
#   The cleaned or symlink-resolved path names a credential or system secret
#   (settings.sensitive_paths), for reads and writes alike.
# custom:
#   code: sensitive_path
#   severity: critical
findings contains v if {
	some x in paths
	sensitive(x.path, x.segments, sensitive_cfg)
	v := {"code": "sensitive_path", "severity": "critical", "field": x.field, "message": "the path names a credential or system secret"}
}

# METADATA
# title: Sensitive path written
# description: A write to a path that is only sensitive for writes (.git/config).
# custom:
#   code: sensitive_path
#   severity: critical
findings contains v if {
	writes
	some x in paths
	strings.any_suffix_match(concat("", ["/", x.path]), object.get(sensitive_cfg, "write_path_suffixes", []))
	v := {"code": "sensitive_path", "severity": "critical", "field": x.field, "message": "the path may be read but not written"}
}

# METADATA
# title: Sensitive path in a shell command
# description: A word of a shell command (argument or redirect target) names a credential or system secret.
# custom:
#   code: sensitive_path
#   severity: critical
shell_violations contains v if {
	some field, words in shell.words
	some_sensitive(words)
	hits := [w | some w in words; sensitive_word(w, sensitive_cfg)]
	count(hits) > 0
	v := {"code": "sensitive_path", "severity": "critical", "field": field, "message": sprintf("the command touches %s, a credential or system secret", [concat(" ", hits)])}
}

# METADATA
# title: Protected path written
# description: A write, move or delete touches a protected path (settings.protected_paths).
# custom:
#   code: protected_path
#   severity: high
findings contains v if {
	writes
	some x in paths
	some entry in protected_hits(x.path, lower(lib.workspace), protected)
	v := {"code": "protected_path", "severity": "high", "field": x.field, "message": sprintf("%s is a protected path", [entry])}
}

# METADATA
# title: Workspace root removed or moved
# description: fs.delete, move_file and the like on the workspace root itself.
# custom:
#   code: protected_path
#   severity: high
findings contains v if {
	some field, f in facts
	changes_root(f)
	v := {"code": "protected_path", "severity": "high", "field": field, "message": "the workspace root itself may not be changed"}
}

# METADATA
# title: Protected path written by a shell command
# description: A redirect or file-writing command targets a protected path.
# custom:
#   code: protected_path
#   severity: high
shell_violations contains v if {
	some wt in shell.write_paths
	ws := lower(lib.workspace)
	p := shell.target_path(lower(wt.target), ws)
	not shell.harmless_device(p) # > /dev/null, 2> /dev/stderr: /dev is protected, these are not
	some entry in protected_hits(p, ws, protected)
	v := {"code": "protected_path", "severity": "high", "field": wt.field, "message": sprintf("%s is a protected path", [entry])}
}

# METADATA
# title: Sensitive path written by a shell command
# description: A redirect or file-writing command targets a path that is only sensitive for writes (.git/config).
# custom:
#   code: sensitive_path
#   severity: critical
shell_violations contains v if {
	some wt in shell.write_paths
	p := shell.target_path(lower(wt.target), lower(lib.workspace))
	strings.any_suffix_match(p, object.get(sensitive_cfg, "write_path_suffixes", []))
	v := {"code": "sensitive_path", "severity": "critical", "field": wt.field, "message": sprintf("the command writes %s, which may be read but not written", [wt.target])}
}

# METADATA
# title: Shell write through '..'
# description: |
#   A redirect or file-writing command targets a path with a '..' segment
#   (echo x > ../../etc/cron.d/x): where it lands depends on the working directory,
#   which the policy cannot follow, as for path arguments with '..'.
# custom:
#   code: path_traversal
#   severity: high
shell_violations contains v if {
	some wt in shell.write_targets
	".." in split(wt.target, "/")
	v := {"code": "path_traversal", "severity": "high", "field": wt.field, "message": sprintf("the command writes %s, a path with a '..' segment", [wt.target])}
}

# traversal says why a path fact leaves the workspace; undefined when it does not.
traversal(f) := "the path leaves the workspace" if {
	not f.inside_workspace
} else := "the path contains a '..' segment" if {
	f.dotdot
} else := "the path starts with '~'" if {
	startswith(f.decoded, "~")
}

# sensitive is true when the lower-cased path p (split into segs) matches cfg
# (settings.sensitive_paths). path_prefixes match as plain prefixes of p + "/" (so
# "/proc/" is the directory, "/etc/shadow" also matches "/etc/shadow-");
# path_suffixes match the end of "/" + p (so "/.aws/credentials" is segment-aligned).
sensitive(_, segs, cfg) if segs[count(segs) - 1] in object.get(cfg, "names", [])

# A name_prefixes match (.env.production) is no secret when it ends in a template
# suffix (.env.example): those files are committed on purpose and hold placeholders.
sensitive(_, segs, cfg) if not_template(segs[count(segs) - 1], cfg)

sensitive(_, segs, cfg) if strings.any_suffix_match(segs[count(segs) - 1], object.get(cfg, "name_suffixes", []))

sensitive(_, segs, cfg) if {
	segments := object.get(cfg, "segments", [])
	some seg in segs
	seg in segments
}

sensitive(p, _, cfg) if strings.any_prefix_match(concat("", [p, "/"]), object.get(cfg, "path_prefixes", []))

sensitive(p, _, cfg) if strings.any_suffix_match(concat("", ["/", p]), object.get(cfg, "path_suffixes", []))

# quick_pattern is a regular expression over "/" + p + "/" that matches every
# lower-cased path p that a finding about sensitive paths (and, when written is true,
# about protected paths and write-only sensitive paths) could match under settings
# s, and a few more (a name prefix of a template file; a protected name anywhere):
# the cheap test that lets a clean call skip the findings. It depends on data only:
# toolgate.tables holds it for reads (quick_re_read) and per writing class
# (quick_re).
quick_pattern(s, written) := alternation(array.concat(
	[
		[object.get(cfg, "names", []), "/", "/$"],
		[object.get(cfg, "name_prefixes", []), "/", "[^/]*/$"],
		[object.get(cfg, "name_suffixes", []), "", "/$"],
		[object.get(cfg, "segments", []), "/", "/"],
		[object.get(cfg, "path_prefixes", []), "^/", ""],
		[object.get(cfg, "path_suffixes", []), "", "/$"],
	],
	[part |
		written
		some part in [
			[object.get(cfg, "write_path_suffixes", []), "", "/$"],
			# "/x" below /x; "./x" below the workspace's x; "x/y" anywhere
			[[e | some e in entries; startswith(e, "/")], "^/", ""],
			[[trim_prefix(e, "./") | some e in entries; not startswith(e, "/")], "/", ""],
		]
	],
)) if {
	cfg := object.get(s, "sensitive_paths", {})
	entries := [e | some e in object.get(s, "protected_paths", []); is_string(e)]
}

# alternation joins parts [list, before, after] into one expression: before, one of
# the list's strings (quoted), after. An empty list adds nothing; no part at all gives
# an expression that matches nothing.
alternation(parts) := concat("|", alternatives) if {
	alternatives := [concat("", [before, "(?:", concat("|", [escape(x) | some x in list]), ")", after]) |
		some [list, before, after] in parts
		count(list) > 0
	]
	count(alternatives) > 0
} else := `[^\s\S]`

# changes_root: a write or delete tool names the workspace root itself.
changes_root(f) if {
	lib.class in {"fs_write", "fs_delete"}
	trim_right(f.clean, "/") == lib.workspace
}

# escape quotes the regular expression metacharacters of x.
escape(x) := regex.replace(x, `[\.+*?()|\[\]{}^$]`, `\$0`)

# some_sensitive is true when some word may name a sensitive path (the quick test of
# tables.quick_re for reads); the rule then finds which words do.
some_sensitive(words) if {
	some w in words
	regex.match(tables.quick_re_read, concat("", ["/", w, "/"]))
}

some_sensitive(words) if {
	some w in words
	globbed(w)
}

not_template(name, cfg) if {
	strings.any_prefix_match(name, object.get(cfg, "name_prefixes", []))
	not strings.any_suffix_match(name, object.get(cfg, "template_suffixes", []))
}

# protected_hits returns the settings.protected_paths entries (lower-case) that the
# lower-cased absolute path p matches: "/x" matches p below /x; "./x" matches p
# below <workspace>/x; any other entry "x/y" matches those segments anywhere in p
# (every repository's .git/hooks). Matching is by prefix on p + "/", on p relative
# to the workspace ("./..."), and on each tail of p ("a/b/c/", "b/c/", "c/"): one
# builtin call when nothing matches.
protected_hits(p, ws, entries) := [entry |
	some entry in entries
	strings.any_prefix_match(candidates, entry)
] if {
	pp := concat("", [p, "/"])
	segs := split(trim_left(p, "/"), "/")
	candidates := array.concat(
		[pp, workspace_relative(pp, ws)],
		[concat("", [concat("/", array.slice(segs, i, count(segs))), "/"]) | some i, _ in segs],
	)
	strings.any_prefix_match(candidates, entries)
}

# workspace_relative returns pp relative to the workspace as "./...", or "" when pp
# is not below the workspace.
workspace_relative(pp, ws) := concat("", [".", substring(pp, count(ws), -1)]) if {
	ws != ""
	startswith(pp, concat("", [ws, "/"]))
} else := ""
