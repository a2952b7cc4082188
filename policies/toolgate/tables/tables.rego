# METADATA
# title: Per-tool tables
# description: |
#   The parts of a decision that depend on the called tool's name and on data alone
#   (catalog, settings, input.environment), indexed by tool name or role. The logic
#   lives in the concern packages (sandbox.for_tool, ratelimit.buckets_for, ...);
#   this package only lists it per key.
#
#   The engine evaluates this package once per policy load and serves the result as
#   data: a decision then looks a row up instead of recomputing it (the always-on
#   parts of a decision cost about a third of their former time). Under opa test the
#   rules are evaluated per query and give the same values. So a rule here may read
#   data and input.environment only (the engine refuses to load one that reads other
#   input), and must give JSON values: an object of true instead of a set.
package toolgate.tables

import data.toolgate.auditspec
import data.toolgate.authz
import data.toolgate.email
import data.toolgate.fs
import data.toolgate.lib
import data.toolgate.obligations
import data.toolgate.ratelimit
import data.toolgate.sandbox as sb
import data.toolgate.secrets

# names are the tool names an envelope row is kept for: the catalog's, and those the
# rate limit and concurrency settings name (a setting may name a tool before the
# catalog does). An object of true, as every value here must be JSON.
names := object.union({name: true | some name, _ in data.toolgate.tools}, {name: true |
	some section in ["rate_limits", "concurrency"]
	some name, _ in object.get(data.toolgate.settings, [section, "tools"], {})
})

# envelope[name] is what a decision for a call to name takes from the tool alone:
# its sandbox (toolgate.sandbox), rate-limit buckets and concurrency caps by scope
# (toolgate.ratelimit), the arguments the catalog marks for redaction and the audit
# level of an allowed call (toolgate.auditspec). One row, so that a decision reads
# them with one lookup (toolgate.lib.envelope).
envelope[name] := envelope_for(name) if some name, _ in names

unknown_envelope := envelope_for(null)

envelope_for(name) := {
	"sandbox": sb.for_tool(name),
	"rate_limits": ratelimit.buckets_for(name),
	"concurrency": ratelimit.caps_for(name),
	"redact": auditspec.redact_for(name),
	"level": auditspec.level(lib.risk_of(name)),
}

# approval[name] says when a call to name needs approval (toolgate.obligations); only
# catalog tools with a class that may need it have a row (an unknown tool has no
# obligation).
approval[name] := row if {
	some name, entry in data.toolgate.tools
	is_string(entry.class)
	row := obligations.approval_for(name)
	true in [row.always, count(row.roles) > 0]
}

# roles[role] is true for every role the site defines (toolgate.authz).
roles[role] := true if {
	some role, r in data.toolgate.settings.roles
	is_object(r)
}

# grants[role][tool] is true when the site role may use the tool: a catalog tool of
# one of its classes, or a tool it names (toolgate.authz). Keyed by role and tool, so
# that evaluated as rules (opa test, opa eval) a lookup computes one entry.
grants[role][tool] if {
	some role, r in data.toolgate.settings.roles
	is_object(r)
	some tool, entry in data.toolgate.tools
	authz.class_grants(r, entry)
}

grants[role][tool] if {
	some role, r in data.toolgate.settings.roles
	is_object(r)
	some tool in object.get(r, "tools", [])
	is_string(tool)
}

# quick_re[class] is the quick test for sensitive or protected paths of a call of a
# class that writes, quick_re_read that for sensitive paths of any other call
# (toolgate.fs).
quick_re[class] := fs.quick_pattern(data.toolgate.settings, true) if some class in fs.write_classes

quick_re_read := fs.quick_pattern(data.toolgate.settings, false)

# sends_out[name] is true for the catalog tools that send data out (toolgate.secrets).
sends_out[name] := true if {
	some name, _ in data.toolgate.tools
	secrets.sends_out(name)
}

# own_domains are the site's own mail domains (toolgate.email).
own_domains := email.own_domains_for(data.toolgate.settings.email_domains)

# any_recipient[role] is true for the site roles that may mail anyone (toolgate.email).
any_recipient[name] := true if {
	some name, role in data.toolgate.settings.roles
	is_object(role)
	role.email_recipients == "any"
}

# sql_write[role] and sql_destructive[role] are true for the site roles that may run
# statements that are not reads, and destructive or stacked statements (toolgate.sql).
sql_write[name] := true if {
	some name, role in data.toolgate.settings.roles
	is_object(role)
	role.sql_write == true
}

sql_destructive[name] := true if {
	some name, role in data.toolgate.settings.roles
	is_object(role)
	role.sql_destructive == true
}
