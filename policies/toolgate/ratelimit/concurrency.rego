# Concurrency caps (settings.concurrency): how many calls may be in flight at once,
# per principal and per principal and tool (tools[name] replaces principal_tool for
# one tool). The coordinator holds a slot from the moment Execute admits a call until
# the tool has returned, on every path. A cap left out of the settings, or without a
# positive numeric limit, is not applied (a zero cap would refuse every call, which
# the rate limits already express).
package toolgate.ratelimit

import data.toolgate.lib

default concurrency := []

concurrency := [{"key": key, "limit": limit} |
	some [key, spec] in [
		[concat("", [who, "|tool:", lib.name]), object.get(cfg, ["tools", lib.name], object.get(cfg, "principal_tool", null))],
		[who, object.get(cfg, "principal", null)],
	]
	is_object(spec)
	limit := object.get(spec, "limit", 0)
	is_number(limit)
	limit > 0
] if {
	lib.authenticated
	cfg := object.get(data.toolgate.settings, "concurrency", {})
	is_object(cfg)
	who := concat("", ["principal:", input.principal.id])
}
