# Concurrency caps (settings.concurrency): how many calls may be in flight at once,
# per principal and per principal and tool (tools[name] replaces principal_tool for
# one tool). The coordinator holds a slot from the moment Execute admits a call until
# the tool has returned, on every path. A cap left out of the settings, or without a
# positive numeric limit, is not applied (a zero cap would refuse every call, which
# the rate limits already express). The caps of each tool are a table
# (toolgate.tables.caps).
package toolgate.ratelimit

import data.toolgate.lib
import data.toolgate.tables

default concurrency := []

concurrency := [object.union(c, {"key": concat("", [who, c.key])}) | some c in row] if {
	lib.authenticated
	row := tool_caps
	who := concat("", ["principal:", input.principal.id])
}

# tool_caps are the called tool's row of the caps table; computed for a tool that
# has none (unknown tools: the call is denied anyway).
tool_caps := row if {
	row := tables.caps[input.tool.name]
} else := caps_for(input.tool.name)

# caps_for returns the caps of the tool called name that apply, per tool and per
# principal, each {"key": suffix of its key, "limit": n}.
caps_for(name) := [{"key": suffix, "limit": limit} |
	some [suffix, spec] in [
		[concat("", ["|tool:", name]), object.get(cfg, ["tools", name], object.get(cfg, "principal_tool", null))],
		["", object.get(cfg, "principal", null)],
	]
	is_object(spec)
	limit := object.get(spec, "limit", 0)
	is_number(limit)
	limit > 0
] if {
	cfg := object.get(data.toolgate.settings, "concurrency", {})
	is_object(cfg)
} else := []
