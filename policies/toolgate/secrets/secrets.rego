# METADATA
# title: Credentials in arguments
# description: |
#   The engine scans every string of the arguments for credentials (input.facts.secrets).
#   A tool that sends data out (settings.secrets.deny_classes: http, email) may not
#   carry one. Every secret field is redacted from the audit record whatever the tool
#   (see toolgate.auditspec).
package toolgate.secrets

import data.toolgate.lib
import data.toolgate.tables

# METADATA
# title: Credential sent out
# description: A credential is in the arguments of a tool that sends data out.
# custom:
#   code: secret_exfiltration
#   severity: critical
violations contains v if {
	tables.sends_out[input.tool.name]
	some s in input.facts.secrets
	v := {
		"code": "secret_exfiltration",
		"severity": "critical",
		"field": field_of(s),
		"message": sprintf("a credential (%s) would be sent out", [kind_of(s)]),
	}
}

# METADATA
# title: Arguments not scanned
# description: |
#   A tool that sends data out has no secrets scan (input.facts.secrets is missing or
#   not a list), so a credential could leave unseen.
# custom:
#   code: secret_exfiltration
#   severity: critical
violations contains v if {
	tables.sends_out[input.tool.name]

	# object.get: a negated call on a missing input field would be undefined, not true
	not is_array(object.get(input, ["facts", "secrets"], null))
	v := {"code": "secret_exfiltration", "severity": "critical", "field": "", "message": "the arguments were not scanned for credentials"}
}

# field_of and kind_of read a secrets entry; a malformed entry still denies.
field_of(s) := s.field if {
	is_string(s.field)
} else := ""

kind_of(s) := s.kind if {
	is_string(s.kind)
} else := "unknown"

# sends_out says whether the tool called name sends data out: its class is in
# settings.secrets.deny_classes (toolgate.tables.sends_out).
sends_out(name) := lib.class_of(name) in object.get(data.toolgate.settings, ["secrets", "deny_classes"], ["http", "email"])
