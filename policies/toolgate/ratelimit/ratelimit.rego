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

rate_limits := [object.union(spec, {"key": key}) |
	some [key, spec] in [
		[concat("", [who, "|tool:", input.tool.name]), row.tool],
		[who, row.principal],
		[concat("", [who, "|session:", session]), object.get({"": null}, session, row.session)],
	]
	spec != null
] if {
	lib.authenticated
	row := object.get(tables.buckets, input.tool.name, tables.unknown_buckets)

	# who names the principal: "principal:<id>", or "tenant:<t>|principal:<id>".
	who := concat("", [tenant_prefix(object.get(input.principal, "tenant", "")), "principal:", input.principal.id])

	# no session bucket without a session id (a value that is not a string is none)
	sid := object.get(input, ["session", "id"], "")
	session := object.get({true: sid}, is_string(sid), "")
}

# tenant_prefix is "tenant:<t>|", or "" for no tenant (a value that is not a string
# or is empty: the decision stays defined for any input).
tenant_prefix(t) := concat("", ["tenant:", t, "|"]) if {
	is_string(t)
	t != ""
} else := ""

# buckets_for returns the buckets of the tool called name before their keys: the
# tool, principal and session buckets, each null when not applied.
buckets_for(name) := {
	"tool": bucket(object.get(cfg, ["tools", name], object.get(cfg, "principal_tool", null)), fallback),
	"principal": bucket(object.get(cfg, "principal", null), fallback),
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
