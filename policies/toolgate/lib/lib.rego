# METADATA
# title: Shared values
# description: |
#   Values every concern package derives from the call the same way (catalog entry,
#   class, risk, which arguments carry facts) and small string helpers. No violations
#   are raised here.
package toolgate.lib

import data.toolgate.tables

# tool is the catalog entry of the called tool. Undefined for an unknown tool, and for
# an entry without a class: such a tool is treated as unknown.
tool := t if {
	t := data.toolgate.tools[input.tool.name]
	is_string(t.class)
}

# class of the called tool; "" when the tool is unknown.
default class := ""

class := data.toolgate.tools[input.tool.name].class

# class_of is the class of the catalog tool called name; "" for a tool the catalog
# does not know.
class_of(name) := object.get(data.toolgate.tools, [name, "class"], "")

# risk_of is the risk of the catalog tool called name; an unknown tool counts as
# critical. The catalog test (policies_test.go) keeps every risk one of low,
# medium, high, critical.
risk_of(name) := object.get(data.toolgate.tools, [name, "risk"], "critical")

# high_risk: tools of this risk are audited at level warn and may need approval.
high_risk(risk) if risk in {"high", "critical"}

# authenticated: the principal has a non-blank string id.
default authenticated := false

authenticated if {
	is_string(input.principal.id)
	trim_space(input.principal.id) != ""
}

# envelope is the called tool's row of toolgate.tables.envelope (sandbox, buckets,
# caps, redaction, audit level); a tool without a row gets the row of an unknown
# tool. A direct lookup: evaluated as rules (opa test), the table computes one row.
envelope := row if {
	row := tables.envelope[input.tool.name]
} else := tables.unknown_envelope

# workspace is the workspace root without a trailing slash; "" when it is not an
# absolute path other than "/" (then nothing is inside it).
default workspace := ""

workspace := trim_right(input.environment.workspace, "/") if {
	is_string(input.environment.workspace)
	startswith(input.environment.workspace, "/")
	trim_right(input.environment.workspace, "/") != ""
}

# marked maps the field path of every present argument that the catalog marks to its
# fact kind. An array argument of kind path, url, shell or sql has one fact per element,
# keyed "arguments.<name>[<i>]"; an email argument has one fact even when it is a list.
marked[field] := kind if {
	some name, kind in tool.facts
	value := input.tool.arguments[name]

	# one fact for the whole argument: an email list, or any value not an array
	object.get({"email": false}, kind, is_array(value)) == false
	field := concat(".", ["arguments", name])
}

marked[field] := kind if {
	some name, kind in tool.facts
	kind != "email"
	some i, _ in input.tool.arguments[name]
	is_array(input.tool.arguments[name])
	field := sprintf("arguments.%s[%d]", [name, i])
}

# supplied maps a fact kind to the fact map the engine supplied for it
# (input.facts.paths holds the facts of kind path, input.facts.urls those of kind url, ...).
supplied := {kind: facts |
	some name, kind in {"paths": "path", "urls": "url", "shell": "shell", "sql": "sql", "emails": "email"}
	facts := input.facts[name]
}

# kinds is the set of fact kinds this call carries: marked arguments, or facts the
# engine supplied. A concern package is only evaluated when its kind is present
# (see toolgate.decision); its rules iterate exactly these fields.
kinds := {k | some _, k in marked} | {kind |
	some kind, facts in supplied
	facts != {}
	is_object(facts)
}

# fields returns the field paths that must carry a fact of kind: the marked arguments,
# plus any field the engine supplied a fact of that kind for (checking more is never
# looser).
fields(kind) := {f | some f, k in marked; k == kind} | object.keys(object.get(supplied, kind, {}))

# basename returns the last "/"-separated element of p.
basename(p) := name if {
	parts := split(p, "/")
	name := parts[count(parts) - 1]
}
