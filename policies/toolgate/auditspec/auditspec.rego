# METADATA
# title: Audit instructions
# description: |
#   How the call is audited. level is "warn" for a denied call or a high or critical
#   risk tool (an unknown tool counts as critical), "info" otherwise. redact lists the
#   argument paths the auditor must mask: every field where the engine found a
#   credential, plus the arguments the catalog marks (tools[name].redact, e.g. HTTP
#   headers). Plain file content and message bodies are kept: the audit trail must
#   show what was written or sent, and credentials inside them are redacted by field.
package toolgate.auditspec

import data.toolgate.lib

# level is the audit level of an allowed call to a tool of risk (a denied call is
# always warn: toolgate.decision).
level(risk) := "warn" if {
	lib.high_risk(risk)
} else := "info"

redact := sort({f | some s in input.facts.secrets; f := s.field; is_string(f)} | {f | some f in lib.envelope.redact})

# redact_for lists the argument paths the catalog marks for the tool called name.
redact_for(name) := [concat(".", ["arguments", arg]) | some arg in object.get(data.toolgate.tools, [name, "redact"], [])]
