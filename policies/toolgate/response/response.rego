# METADATA
# title: Tool responses
# description: |
#   Judges what a tool returned before the agent sees it (the MCP proxy, the MCP
#   middleware and any embedder call engine.CheckResponse). The engine scans every
#   string of the response for credentials and passes the matches; this package
#   decides to pass the response, redact the secrets in place, or block it whole.
#
#   Input: {"tool": {"name", "server"}, "principal": {...}, "response": {"bytes": n,
#   "is_error": bool, "parts": n, "secrets": [{"part", "kind", "start", "end"}]}}.
#   Settings (data.toolgate.settings.response, optional): max_bytes, block_kinds.
package toolgate.response

# Defaults when data.toolgate.settings.response does not say otherwise.
default_settings := {
	"max_bytes": 1048576,
	"block_kinds": ["private_key"],
}

default configured := {}

configured := data.toolgate.settings.response if is_object(data.toolgate.settings.response)

settings := object.union(default_settings, configured)

block_kinds := {k | some k in settings.block_kinds}

default secrets := []

secrets := input.response.secrets if is_array(input.response.secrets)

# METADATA
# title: Blocked secret in a response
# description: The response holds a credential of a kind that is never shown (a private key by default).
# custom:
#   code: response_secret_blocked
#   severity: critical
blocking contains v if {
	some s in secrets
	s.kind in block_kinds
	v := {
		"code": "response_secret_blocked", "severity": "critical", "field": "response",
		"message": sprintf("the response holds a %s", [s.kind]),
	}
}

# METADATA
# title: Response too large
# description: The response is larger than settings max_bytes, or its size is unknown.
# custom:
#   code: response_too_large
#   severity: high
blocking contains v if {
	not within_size
	v := {
		"code": "response_too_large", "severity": "high", "field": "response",
		"message": sprintf("the response is larger than %d bytes", [settings.max_bytes]),
	}
}

within_size if {
	is_number(input.response.bytes)
	input.response.bytes <= settings.max_bytes
}

# METADATA
# title: Redacted secret in a response
# description: The response held a credential, replaced by [REDACTED:kind] before the agent saw it.
# custom:
#   code: response_secret_redacted
#   severity: medium
redacting contains v if {
	some i in redact
	kind := secrets[i].kind
	v := {
		"code": "response_secret_redacted", "severity": "medium", "field": "response",
		"message": sprintf("a %s was redacted", [kind]),
	}
}

# redact holds the indices of input.response.secrets to replace.
redact := sort([i | some i, s in secrets; not s.kind in block_kinds])

default action := "allow"

action := "block" if count(blocking) > 0

action := "redact" if {
	count(blocking) == 0
	count(redact) > 0
}

violations := sort(blocking) if action == "block"

violations := sort(redacting) if action != "block"

# METADATA
# title: Response decision
# description: "{action: allow | redact | block, violations, redact: [secret index]}"
# entrypoint: true
decision := {"action": action, "violations": violations, "redact": redact}
