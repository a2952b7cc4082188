package toolgate.response_test

import data.toolgate.response

call(resp) := object.union(
	{"tool": {"name": "read_file", "server": "files"}, "principal": {"id": "ann", "roles": ["viewer"]}},
	{"response": resp},
)

secret(part, kind) := {"part": part, "kind": kind, "start": 0, "end": 10}

test_clean_response_is_allowed if {
	response.decision == {"action": "allow", "violations": [], "redact": []} with input as call({
		"bytes": 120, "is_error": false, "parts": 2, "secrets": [],
	})
}

test_secrets_are_redacted_by_index if {
	response.decision == {
		"action": "redact",
		"redact": [0, 1],
		"violations": [
			{
				"code": "response_secret_redacted", "severity": "medium", "field": "response",
				"message": "a aws_access_key was redacted",
			},
			{
				"code": "response_secret_redacted", "severity": "medium", "field": "response",
				"message": "a github_token was redacted",
			},
		],
	} with input as call({
		"bytes": 300, "is_error": false, "parts": 1,
		"secrets": [secret(0, "github_token"), secret(0, "aws_access_key")],
	})
}

test_private_key_blocks_the_whole_response if {
	d := response.decision with input as call({
		"bytes": 3000, "is_error": false, "parts": 1,
		"secrets": [secret(0, "jwt"), secret(0, "private_key")],
	})
	d.action == "block"
	d.violations == [{
		"code": "response_secret_blocked", "severity": "critical", "field": "response",
		"message": "the response holds a private_key",
	}]
	d.redact == [0]
}

test_oversized_response_is_blocked if {
	d := response.decision with input as call({"bytes": 1048577, "is_error": false, "parts": 1, "secrets": []})
	d.action == "block"
	d.violations == [{
		"code": "response_too_large", "severity": "high", "field": "response",
		"message": "the response is larger than 1048576 bytes",
	}]
}

test_unknown_size_is_blocked if {
	d := response.decision with input as call({"is_error": false, "parts": 0})
	d.action == "block"
	[v.code | some v in d.violations] == ["response_too_large"]
}

test_settings_override_the_defaults if {
	d := response.decision with input as call({
		"bytes": 2000, "is_error": false, "parts": 1, "secrets": [secret(0, "private_key"), secret(0, "jwt")],
	})
		with data.toolgate.settings.response as {"max_bytes": 1000, "block_kinds": ["jwt"]}
	d.action == "block"
	[v.code | some v in d.violations] == ["response_secret_blocked", "response_too_large"]
	d.redact == [0]
}

test_settings_that_are_not_an_object_are_ignored if {
	d := response.decision with input as call({"bytes": 10, "is_error": false, "parts": 1, "secrets": []})
		with data.toolgate.settings.response as "off"
	d.action == "allow"
}

test_secrets_that_are_not_an_array_are_ignored if {
	d := response.decision with input as call({"bytes": 10, "is_error": false, "parts": 1, "secrets": "x"})
	d == {"action": "allow", "violations": [], "redact": []}
}
