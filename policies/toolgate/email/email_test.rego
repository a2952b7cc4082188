package toolgate.email_test

import data.toolgate.email
import data.toolgate.fixtures as fx

field := "arguments.to"

send(addresses, roles) := vs if {
	vs := email.violations with input as fx.by(fx.email_call(addresses), roles)
		with data.toolgate.settings.email_domains as ["acme.example", "Acme.Test"]
}

test_own_domains_are_fine if {
	send(["bob@acme.example", "eve@ACME.TEST"], ["developer"]) == set()
}

test_external_recipients_are_denied_for_limited_roles if {
	send(["bob@acme.example", "x@evil.example", "y@eu.acme.example"], ["developer"]) == {
		fx.violation("email_external_recipient", "high", field, "x@evil.example is outside the site's own domains"),
		fx.violation("email_external_recipient", "high", field, "y@eu.acme.example is outside the site's own domains"),
	}
}

test_a_role_with_any_recipient_may_send_anywhere if {
	send(["x@evil.example"], ["admin"]) == set()
	send(["x@evil.example"], ["developer", "admin"]) == set()
}

test_no_own_domains_means_no_recipient_for_limited_roles if {
	email.violations == {fx.violation("email_external_recipient", "high", field, "bob@acme.example is outside the site's own domains")} with input as fx.email_call(["bob@acme.example"])
		with data.toolgate.settings.email_domains as []
}

test_recipients_without_a_usable_fact_are_invalid if {
	invalid := {fx.violation("email_invalid", "high", field, "the recipients could not be parsed")}
	email.violations == invalid with input as fx.call("email.send", {"to": "bob"}, {})
	email.violations == invalid with input as fx.call("email.send", {"to": "bob"}, {"emails": {field: {"ok": false}}})
	email.violations == invalid with input as fx.call("email.send", {"to": []}, {"emails": {field: {"ok": true, "addresses": []}}})
	email.violations == invalid with input as fx.call("email.send", {"to": "bob"}, {"emails": {field: {"ok": true, "addresses": [{"address": "bob"}]}}})
}

test_header_injection if {
	call := fx.email_call(["bob@acme.example"])
	injected := object.union(call, {"tool": {"arguments": object.union(call.tool.arguments, {"subject": "Hi\r\nBcc: eve@evil.example", "reply_to": "x@acme.example\nCc: y@evil.example"})}})
	vs := email.violations with input as injected with data.toolgate.settings.email_domains as ["acme.example"]
	vs == {
		fx.violation("email_header_injection", "high", "arguments.subject", "subject holds a line break, which would start a new mail header"),
		fx.violation("email_header_injection", "high", "arguments.reply_to", "reply_to holds a line break, which would start a new mail header"),
	}
	plain := object.union(call, {"tool": {"arguments": object.union(call.tool.arguments, {"subject": "Weekly report", "body": "line one\nline two"})}})
	email.violations == set() with input as plain with data.toolgate.settings.email_domains as ["acme.example"]
}
