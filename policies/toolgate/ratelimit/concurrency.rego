# Concurrency caps (settings.concurrency): how many calls may be in flight at once,
# per principal and per principal and tool (tools[name] replaces principal_tool for
# one tool). The coordinator holds a slot from the moment Execute admits a call until
# the tool has returned, on every path. A cap left out of the settings, or without a
# positive numeric limit, is not applied (a zero cap would refuse every call, which
# the rate limits already express). Caps are given by scope (principal_tool,
# principal) and keyed by the engine, as rate limits are. The decision takes them
# from the tool's row of toolgate.tables.envelope (caps_for).
package toolgate.ratelimit

# caps_for returns the caps of the tool called name that apply, each {"scope", "limit"}.
caps_for(name) := [{"scope": scope, "limit": limit} |
	some [scope, spec] in [
		["principal_tool", object.get(cfg, ["tools", name], object.get(cfg, "principal_tool", null))],
		["principal", object.get(cfg, "principal", null)],
	]
	is_object(spec)
	limit := object.get(spec, "limit", 0)
	is_number(limit)
	limit > 0
] if {
	cfg := object.get(data.toolgate.settings, "concurrency", {})
	is_object(cfg)
} else := []
