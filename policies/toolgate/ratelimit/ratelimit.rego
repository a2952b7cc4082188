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

rate_limits := [{"key": concat("", [who, suffix]), "limit": spec.limit, "per": spec.per, "local_fallback": row.local_fallback} |
	some [suffix, spec] in [
		[concat("", ["|tool:", name]), row.tool],
		["", row.principal],
		[concat("", ["|session:", session]), session_spec],
	]
	spec != null
] if {
	lib.authenticated
	name := lib.str(lib.name, "")
	row := object.get(tables.buckets, name, tables.unknown_buckets)
	tenant := lib.str(object.get(input.principal, "tenant", ""), "")

	# who names the principal: "principal:<id>", or "tenant:<t>|principal:<id>".
	who := concat("", [
		object.get({"": ""}, tenant, concat("", ["tenant:", tenant, "|"])),
		"principal:", input.principal.id,
	])
	session := lib.str(object.get(input, ["session", "id"], ""), "")

	# no session bucket without a session id
	session_spec := object.get({"": null}, session, row.session)
}

# buckets_for returns the buckets of the tool called name, before keys: tool,
# principal and session specs ({"limit", "per"}, or null when not applied) and
# local_fallback.
buckets_for(name) := {
	"tool": bucket(object.get(cfg, ["tools", name], object.get(cfg, "principal_tool", null))),
	"principal": bucket(object.get(cfg, "principal", null)),
	"session": bucket(object.get(cfg, "session", null)),
	"local_fallback": object.get(data.toolgate.tools, [name, "risk"], "critical") in object.get(cfg, "local_fallback_risks", ["low"]),
} if {
	cfg := object.get(data.toolgate.settings, "rate_limits", {})
}

# bucket normalizes one spec of the settings; null when it is not an object.
bucket(spec) := {"limit": number_or_zero(object.get(spec, "limit", 0)), "per": object.get(spec, "per", "1m")} if {
	is_object(spec)
} else := null

number_or_zero(x) := x if {
	is_number(x)
} else := 0
