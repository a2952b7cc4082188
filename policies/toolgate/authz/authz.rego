# METADATA
# title: Who may call which tool
# description: |
#   Default deny: the principal must be authenticated and hold a role the site
#   defines, the tool must be in the catalog, and one of the principal's roles must
#   allow the tool's class (roles[r].classes) or the tool itself (roles[r].tools).
package toolgate.authz

import data.toolgate.lib
import data.toolgate.tables

# violations is empty, without evaluating each finding, when the principal is
# authenticated and one of their roles grants the catalog tool: that rules out every
# finding below (a granting role is a role the site defines). Most calls take this
# path; the others get every finding that applies.
violations := set() if {
	lib.authenticated
	lib.tool
	permitted
} else := found

# METADATA
# title: Unauthenticated
# description: The principal has no id.
# custom:
#   code: unauthenticated
#   severity: high
found contains v if {
	not lib.authenticated
	v := {"code": "unauthenticated", "severity": "high", "field": "", "message": "the principal has no id"}
}

# METADATA
# title: Unknown principal
# description: None of the principal's roles is a role of the site.
# custom:
#   code: unknown_principal
#   severity: high
found contains v if {
	not known_principal
	v := {"code": "unknown_principal", "severity": "high", "field": "", "message": "none of the principal's roles is defined by the site"}
}

# METADATA
# title: Unknown tool
# description: The tool is not in the catalog (data.toolgate.tools).
# custom:
#   code: unknown_tool
#   severity: high
found contains v if {
	not lib.tool
	v := {"code": "unknown_tool", "severity": "high", "field": "", "message": "the tool is not in the catalog"}
}

# METADATA
# title: Role not permitted
# description: No role of the principal may use the tool's class or the tool itself.
# custom:
#   code: role_not_permitted
#   severity: high
found contains v if {
	lib.tool
	known_principal
	not permitted
	v := {"code": "role_not_permitted", "severity": "high", "field": "", "message": sprintf("no role of the principal may use %s tools", [lib.class])}
}

# known_principal: some role of the principal is a role the site defines.
known_principal if {
	some name in input.principal.roles
	tables.roles[name]
}

# permitted: some role of the principal may use the tool's class, or the tool itself.
permitted if {
	some name in input.principal.roles
	tables.grants[name][input.tool.name]
}

# class_grants: the site role r (its settings) lets a principal call the catalog
# entry's tools by class. The grants table (toolgate.tables.grants) applies it to
# every role and catalog tool, and adds the tools a role names (roles[r].tools).
class_grants(r, entry) if {
	is_string(entry.class)
	entry.class in object.get(r, "classes", [])
}
