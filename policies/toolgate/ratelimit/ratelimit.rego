# METADATA
# title: Rate limits
# description: |
#   The token buckets a call takes from (settings.rate_limits): per principal and tool
#   (scope principal_tool; tools[name] replaces principal_tool for one tool), per
#   principal overall (principal), and per principal and session (session). The
#   engine keys each bucket from the call by its scope (docs/input-and-decision.md);
#   it drops the session bucket of a call without a session id. A bucket left out of
#   the settings is not applied; a bucket without a numeric
#   limit gets limit 0, which blocks (fail closed). The decision applies no bucket to an
#   unauthenticated principal (the call is denied anyway). local_fallback (a fleet limiter that cannot
#   reach Redis may use a per-process bucket instead of refusing) is true only for
#   tools whose risk is in rate_limits.local_fallback_risks (default ["low"]).
#   The buckets depend on the tool alone: the decision takes them from the tool's row
#   of toolgate.tables.envelope (buckets_for), computed once per policy load.
package toolgate.ratelimit

import data.toolgate.lib

# buckets_for returns the buckets of the tool called name that apply, each
# {"scope", "limit", "per", "local_fallback"}.
buckets_for(name) := [object.union(spec, {"scope": scope, "local_fallback": fallback}) |
	some [scope, spec] in [
		["principal_tool", bucket(object.get(cfg, ["tools", name], object.get(cfg, "principal_tool", null)))],
		["principal", bucket(object.get(cfg, "principal", null))],
		["session", bucket(object.get(cfg, "session", null))],
	]
	spec != null
] if {
	cfg := object.get(data.toolgate.settings, "rate_limits", {})
	fallback := lib.risk_of(name) in object.get(cfg, "local_fallback_risks", ["low"])
}

# bucket normalizes one spec of the settings; null when it is not an object.
bucket(spec) := {"limit": number_or_zero(object.get(spec, "limit", 0)), "per": object.get(spec, "per", "1m")} if {
	is_object(spec)
} else := null

number_or_zero(x) := x if {
	is_number(x)
} else := 0
