package toolgate.secrets_test

import data.toolgate.fixtures as fx
import data.toolgate.secrets

with_secrets(call_input, found) := object.union(call_input, {"facts": {"secrets": found}})

test_a_credential_in_an_outbound_tool_is_exfiltration if {
	call_input := with_secrets(
		fx.call("http.fetch", {"url": "https://x.example", "headers": {"Authorization": "token ghp_x"}}, {}),
		[{"field": "arguments.headers.Authorization", "kind": "github_token"}, {"field": 3}, "junk"],
	)
	secrets.violations == {
		fx.violation("secret_exfiltration", "critical", "arguments.headers.Authorization", "a credential (github_token) would be sent out"),
		fx.violation("secret_exfiltration", "critical", "", "a credential (unknown) would be sent out"),
	} with input as call_input
}

test_email_is_outbound_too if {
	call_input := with_secrets(fx.call("email.send", {}, {}), [{"field": "arguments.body", "kind": "aws_access_key"}])
	secrets.violations == {fx.violation("secret_exfiltration", "critical", "arguments.body", "a credential (aws_access_key) would be sent out")} with input as call_input
}

test_a_credential_in_a_local_tool_is_not_exfiltration if {
	call_input := with_secrets(fx.call("fs.write_file", {}, {}), [{"field": "arguments.content", "kind": "private_key"}])
	secrets.violations == set() with input as call_input
}

test_the_outbound_classes_come_from_settings if {
	call_input := with_secrets(fx.call("shell.exec", {}, {}), [{"field": "arguments.command", "kind": "password_assignment"}])
	secrets.violations == {fx.violation("secret_exfiltration", "critical", "arguments.command", "a credential (password_assignment) would be sent out")} with input as call_input
		with data.toolgate.settings.secrets.deny_classes as ["http", "email", "shell"]
}

test_an_outbound_call_without_a_secrets_scan_is_denied if {
	secrets.violations == {fx.violation("secret_exfiltration", "critical", "", "the arguments were not scanned for credentials")} with input as json.remove(fx.call("http.fetch", {}, {}), ["facts/secrets"])
	secrets.violations == set() with input as json.remove(fx.call("fs.read_file", {}, {}), ["facts/secrets"])
}
