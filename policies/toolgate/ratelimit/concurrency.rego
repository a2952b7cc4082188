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

concurrency := [{"key": key, "limit": limit} |
	some [key, limit] in [[concat("", [who, "|tool:", input.tool.name]), row.tool], [who, row.principal]]
	limit != null
] if {
	lib.authenticated
	row := object.get(tables.caps, input.tool.name, tables.unknown_caps)
	who := concat("", ["principal:", input.principal.id])
}

# caps_for returns the caps of the tool called name: tool and principal limits, null
# when not applied.
caps_for(name) := {
	"tool": cap(object.get(cfg, ["tools", name], object.get(cfg, "principal_tool", null))),
	"principal": cap(object.get(cfg, "principal", null)),
} if {
	cfg := object.get(data.toolgate.settings, "concurrency", {})
	is_object(cfg)
} else := {"tool": null, "principal": null}

cap(spec) := limit if {
	is_object(spec)
	limit := object.get(spec, "limit", 0)
	is_number(limit)
	limit > 0
} else := null
