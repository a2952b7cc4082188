# METADATA
# title: Which tools a principal is shown
# description: |
#   Filters a server's tools/list (the MCP proxy and middleware ask it). A tool is
#   shown unless the principal may never call it: the authorization rules of
#   toolgate.authz (unauthenticated, unknown principal, unknown tool, role not
#   permitted) deny a call to it whatever its arguments. Rules about arguments are
#   not judged here: a shown tool can still be denied for a given call.
#
#   Input: {"principal": {...}, "server": "name", "environment": {...},
#   "tools": [{"name": "read_file", "annotations": {...}}]}.
package toolgate.listing

import data.toolgate.authz

# METADATA
# title: Visible tools
# description: The names of the listed tools the principal may be shown.
# entrypoint: true
visible contains tool.name if {
	some tool in input.tools
	is_string(tool.name)
	not never_callable(probe(tool))
}

# probe is the call document of a call to tool with no arguments.
probe(tool) := {
	"tool": {
		"name": tool.name,
		"server": object.get(input, "server", ""),
		"arguments": {},
		"annotations": object.get(tool, "annotations", {}),
	},
	"principal": input.principal,
	"session": {},
	"request": {},
	"environment": object.get(input, "environment", {}),
	"facts": {},
}

never_callable(call) if {
	some _ in authz.violations with input as call
}
