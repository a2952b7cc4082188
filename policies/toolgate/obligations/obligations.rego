# METADATA
# title: Obligations
# description: |
#   Conditions the coordinator must meet before running an allowed call.
#   require_approval: the tool's risk is in settings.approval.risks, or the principal
#   has a role in settings.approval.roles and the tool is high or critical risk.
#   Nothing for an unknown tool (the call is denied anyway). What depends on the tool
#   alone (approval_for) is a table computed once per policy load
#   (toolgate.tables.approval).
package toolgate.obligations

import data.toolgate.lib
import data.toolgate.tables

default obligations := []

obligations := ["require_approval"] if {
	tables.approval[input.tool.name].always
}

obligations := ["require_approval"] if {
	roles := tables.approval[input.tool.name].roles
	some role in input.principal.roles
	roles[role]
}

# approval_for says when a call to the catalog tool called name needs approval:
# always, or when the principal has one of roles (an object of true: the site's own
# roles that settings.approval.roles names, for high and critical risk tools only).
approval_for(name) := {
	"always": risk in object.get(approval, "risks", []),
	"roles": {role: true |
		lib.high_risk(risk)
		some role in object.get(approval, "roles", [])
		is_object(data.toolgate.settings.roles[role])
	},
} if {
	approval := object.get(data.toolgate.settings, "approval", {})
	risk := lib.risk_of(name)
}
