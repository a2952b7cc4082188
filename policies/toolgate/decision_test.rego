package toolgate_test

import data.toolgate
import data.toolgate.fixtures as fx

test_an_allowed_read_has_the_whole_decision if {
	toolgate.decision == {
		"allow": true,
		"violations": [],
		"sandbox": {
			"timeout_ms": 5000, "cpu_ms": 2000, "memory_mb": 128, "max_output_bytes": 1048576,
			"max_file_bytes": 1048576, "max_open_files": 64, "max_procs": 1,
			"network": "none", "allow_hosts": [],
			"read_paths": ["/srv/work"], "write_paths": [],
			"env": ["LANG", "PATH"],
		},
		"rate_limits": [
			{"scope": "principal_tool", "limit": 60, "per": "1m", "local_fallback": true},
			{"scope": "principal", "limit": 300, "per": "1m", "local_fallback": true},
			{"scope": "session", "limit": 1000, "per": "1h", "local_fallback": true},
		],
		"concurrency": [
			{"scope": "principal_tool", "limit": 8},
			{"scope": "principal", "limit": 16},
		],
		"audit": {"level": "info", "redact": []},
		"obligations": [],
	} with input as fx.read_call(fx.path("notes/todo.md", "/srv/work/notes/todo.md"))
}

test_a_denied_call_lists_sorted_violations_and_warns if {
	d := toolgate.decision with input as fx.read_call(fx.path("/etc/shadow", "/etc/shadow"))
	d.allow == false
	d.violations == [
		fx.violation("path_traversal", "high", "arguments.path", "the path leaves the workspace"),
		fx.violation("sensitive_path", "critical", "arguments.path", "the path names a credential or system secret"),
	]
	d.audit == {"level": "warn", "redact": []}
}

test_the_empty_input_is_denied_with_a_complete_decision if {
	d := toolgate.decision with input as {}
	d.allow == false
	[v.code | some v in d.violations] == ["unauthenticated", "unknown_principal", "unknown_tool"]
	d.rate_limits == []
	d.concurrency == []
	d.obligations == []
	d.audit == {"level": "warn", "redact": []}
	d.sandbox.network == "none"
}

test_every_concern_is_consulted_by_its_kind_of_fact if {
	toolgate.allow with input as fx.fetch_call(fx.url("https", "example.com"))
	not toolgate.allow with input as fx.fetch_call(fx.url("http", "localhost"))
	not toolgate.allow with input as fx.sql_call(fx.sql([fx.statement("drop", false)]))
	not toolgate.allow with input as fx.email_call(["x@evil.example"])
	not toolgate.allow with input as fx.shell_call(fx.shell([fx.cmd("sudo", ["id"])], [], [], []))
	not toolgate.allow with input as fx.shell_call(fx.shell([fx.cmd("cat", [".env"])], [], [], []))
}

test_a_critical_tool_needs_approval_and_warns if {
	d := toolgate.decision with input as fx.shell_call(fx.shell([fx.cmd("ls", [])], [], [], []))
	d.allow == true
	d.obligations == ["require_approval"]
	d.audit.level == "warn"
}

test_a_secret_in_an_outbound_call_is_denied_and_redacted if {
	call_input := object.union(fx.fetch_call(fx.url("https", "example.com")), {"facts": {"secrets": [{"field": "arguments.body", "kind": "aws_secret_key"}]}})
	d := toolgate.decision with input as call_input
	d.violations == [fx.violation("secret_exfiltration", "critical", "arguments.body", "a credential (aws_secret_key) would be sent out")]
	d.audit.redact == ["arguments.body", "arguments.headers"]
	d.sandbox.network == "any"
}
