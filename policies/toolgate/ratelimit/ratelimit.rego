# METADATA
# title: Rate limits
# description: |
#   The token buckets a call takes from (settings.rate_limits): per principal and tool
#   (tools[name] replaces principal_tool for one tool), per principal overall, and per
#   principal and session. Keys are prefixed with the tenant when the principal has
#   one. A bucket left out of the settings is not applied; a bucket without a numeric
#   limit gets limit 0, which blocks (fail closed). No buckets for an unauthenticated
#   principal (the call is denied anyway). local_fallback (a fleet limiter that cannot
#   reach Redis may use a per-process bucket instead of refusing) is true only for
#   tools whose risk is in rate_limits.local_fallback_risks (default ["low"]).
#   What depends on the tool alone (buckets_for) is a table computed once per policy
#   load (toolgate.tables.buckets); a call only builds the keys.
package toolgate.ratelimit

import data.toolgate.lib
import data.toolgate.tables

default rate_limits := []

rate_limits := array.concat(
	[object.union(b, {"key": concat("", [who, b.key])}) | some b in row.buckets],
	[object.union(row.session, {"key": concat("", [who, "|session:", session])}) |
		# no session bucket without a session id
		session := input.session.id
		is_string(session)
		session != ""
		row.session != null
	],
) if {
	lib.authenticated
	row := tool_buckets

	# who names the principal: "principal:<id>", or "tenant:<t>|principal:<id>".
	who := concat("", [tenant_prefix(object.get(input.principal, "tenant", "")), "principal:", input.principal.id])
}

# tenant_prefix is "tenant:<t>|", or "" for no tenant (a value that is not a string
# or is empty).
tenant_prefix(t) := concat("", ["tenant:", t, "|"]) if {
	is_string(t)
	t != ""
} else := ""

# tool_buckets are the called tool's row of the buckets table; computed for a tool
# that has none (unknown tools: the call is denied anyway).
tool_buckets := row if {
	row := tables.buckets[input.tool.name]
} else := buckets_for(object.get({true: input.tool.name}, is_string(input.tool.name), ""))

# buckets_for returns the buckets of the tool called name: "buckets", those per tool
# and per principal that apply (with "key" the suffix of their key), and "session"
# (null when it does not apply; its key takes the call's session id).
buckets_for(name) := {
	"buckets": [object.union(spec, {"key": suffix}) |
		some [suffix, spec] in [
			[concat("", ["|tool:", name]), bucket(object.get(cfg, ["tools", name], object.get(cfg, "principal_tool", null)), fallback)],
			["", bucket(object.get(cfg, "principal", null), fallback)],
		]
		spec != null
	],
	"session": bucket(object.get(cfg, "session", null), fallback),
} if {
	cfg := object.get(data.toolgate.settings, "rate_limits", {})
	fallback := object.get(data.toolgate.tools, [name, "risk"], "critical") in object.get(cfg, "local_fallback_risks", ["low"])
}

# bucket normalizes one spec of the settings; null when it is not an object.
bucket(spec, fallback) := {"limit": number_or_zero(object.get(spec, "limit", 0)), "per": object.get(spec, "per", "1m"), "local_fallback": fallback} if {
	is_object(spec)
} else := null

number_or_zero(x) := x if {
	is_number(x)
} else := 0
