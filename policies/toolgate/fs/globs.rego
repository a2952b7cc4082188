# Shell words with glob characters: the shell expands cat .en* to cat .env before
# the command runs, so a pattern that may expand to a sensitive name is as good as
# the name. Path arguments of file tools are taken literally and do not use these
# rules.
package toolgate.fs

# sensitive_word is true when the lower-cased shell word w names a sensitive path,
# or is a glob pattern that may expand to one.
sensitive_word(w, cfg) if sensitive(w, split(w, "/"), cfg)

sensitive_word(w, cfg) if {
	globbed(w)
	glob_sensitive(w, cfg)
}

# globbed is true for a word with a glob character (*, ?, [).
globbed(w) if regex.match(`[*?\[]`, w)

# glob_sensitive: some segment pattern of w may expand to a sensitive name or
# directory, or the leading segments of w may expand to a sensitive path prefix
# (/etc/[s]hadow, /pro?/1/environ).
glob_sensitive(w, cfg) if {
	some seg in split(w, "/")
	globbed(seg)
	valid_glob(seg)
	count(regex.replace(seg, `[*?]|\[[^\]]*\]`, "")) >= 2 # "*" or "?" alone names anything: not taken as a name
	some name in array.concat(object.get(cfg, "names", []), object.get(cfg, "segments", []))
	dot_matches(seg, name)
	glob.match(seg, [], name)
}

# dot_matches: as in the shell, a pattern matches a name that starts with "." only
# when it starts with "." itself (ls * lists no dotfile).
dot_matches(_, name) if not startswith(name, ".")

dot_matches(seg, _) if startswith(seg, ".")

glob_sensitive(w, cfg) if {
	segs := split(w, "/")
	some entry in object.get(cfg, "path_prefixes", [])
	prefix := trim_suffix(entry, "/")
	n := count(split(prefix, "/"))
	count(segs) >= n
	head := concat("/", array.slice(segs, 0, n))
	valid_glob(head)
	glob.match(head, ["/"], prefix)
}

# valid_glob: every "[" is closed, and no brace or backslash (which glob.match reads
# as syntax and may refuse): a word such as grep's 'foo[' is not a pattern, and a
# refused pattern would fail the whole decision.
valid_glob(p) if regex.match(`^([^\[\]{}\\]|\[[^\[\]{}\\]+\])*$`, p)
