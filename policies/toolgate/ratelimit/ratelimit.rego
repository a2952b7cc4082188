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
package toolgate.ratelimit

import data.toolgate.lib

default rate_limits := []

rate_limits := [{"key": key, "limit": limit, "per": object.get(spec, "per", "1m"), "local_fallback": fallback} |
	some [key, spec] in [
		[concat("", [who, "|tool:", name]), object.get(cfg, ["tools", name], object.get(cfg, "principal_tool", null))],
		[who, object.get(cfg, "principal", null)],
		[concat("", [who, "|session:", session]), session_spec],
	]
	is_object(spec)
	limit := number_or_zero(object.get(spec, "limit", 0))
] if {
	lib.authenticated
	cfg := object.get(data.toolgate.settings, "rate_limits", {})
	name := lib.str(lib.name, "")
	tenant := lib.str(object.get(input.principal, "tenant", ""), "")

	# who names the principal: "principal:<id>", or "tenant:<t>|principal:<id>".
	who := concat("", [
		object.get({"": ""}, tenant, concat("", ["tenant:", tenant, "|"])),
		"principal:", input.principal.id,
	])
	session := lib.str(object.get(input, ["session", "id"], ""), "")

	# no session bucket without a session id
	session_spec := object.get({"": null}, session, object.get(cfg, "session", null))
	fallback := lib.risk in object.get(cfg, "local_fallback_risks", ["low"])
}

number_or_zero(x) := x if {
	is_number(x)
} else := 0
