# METADATA
# title: Obligations
# description: |
#   Conditions the coordinator must meet before running an allowed call.
#   require_approval: the tool's risk is in settings.approval.risks, or the principal
#   has a role in settings.approval.roles and the tool is high or critical risk.
#   Nothing for an unknown tool (the call is denied anyway).
package toolgate.obligations

import data.toolgate.lib

default obligations := []

obligations := ["require_approval"] if {
	lib.tool
	approval := object.get(data.toolgate.settings, "approval", {})
	true in [
		lib.risk in object.get(approval, "risks", []),
		count([1 |
			lib.risk in {"high", "critical"}
			some role in object.get(approval, "roles", [])
			lib.roles[role]
		]) > 0,
	]
}
