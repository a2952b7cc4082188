package toolgate.ratelimit_test

caps := {"principal": {"limit": 8}, "principal_tool": {"limit": 2}, "tools": {"shell.exec": {"limit": 1}}}

call(tool) := {"tool": {"name": tool, "arguments": {}}, "principal": {"id": "alice", "roles": ["developer"]}}

test_caps_per_principal_and_tool if {
	data.toolgate.decision.concurrency == [
		{"scope": "principal_tool", "limit": 2},
		{"scope": "principal", "limit": 8},
	] with input as call("fs.read_file")
		with data.toolgate.settings.concurrency as caps
}

test_a_tool_override_replaces_the_per_tool_cap if {
	data.toolgate.decision.concurrency == [
		{"scope": "principal_tool", "limit": 1},
		{"scope": "principal", "limit": 8},
	] with input as call("shell.exec")
		with data.toolgate.settings.concurrency as caps
}

test_missing_or_unusable_caps_are_not_applied if {
	data.toolgate.decision.concurrency == [] with input as call("fs.read_file")
		with data.toolgate.settings.concurrency as {"principal": {"limit": 0}, "principal_tool": {"limit": "2"}}
	data.toolgate.decision.concurrency == [] with input as call("fs.read_file")
		with data.toolgate.settings.concurrency as null
}

test_no_caps_for_an_unauthenticated_principal if {
	data.toolgate.decision.concurrency == [] with input as {"tool": {"name": "fs.read_file"}, "principal": {"id": ""}}
		with data.toolgate.settings.concurrency as caps
}

test_a_tool_without_a_row_gets_the_default_caps if {
	data.toolgate.decision.concurrency == [
		{"scope": "principal_tool", "limit": 2},
		{"scope": "principal", "limit": 8},
	] with input as call("k8s.delete_namespace")
		with data.toolgate.settings.concurrency as caps
}
