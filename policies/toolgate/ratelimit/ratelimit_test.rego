package toolgate.ratelimit_test

import data.toolgate.fixtures as fx

test_three_buckets_per_call if {
	data.toolgate.decision.rate_limits == [
		{"scope": "principal_tool", "limit": 60, "per": "1m", "local_fallback": true},
		{"scope": "principal", "limit": 300, "per": "1m", "local_fallback": true},
		{"scope": "session", "limit": 1000, "per": "1h", "local_fallback": true},
	] with input as fx.call("fs.read_file", {}, {})
}

test_a_tool_limit_replaces_the_default if {
	data.toolgate.decision.rate_limits[0] == {"scope": "principal_tool", "limit": 20, "per": "1m", "local_fallback": false} with input as fx.call("shell.exec", {}, {})
}

test_buckets_left_out_of_the_settings_are_not_applied if {
	data.toolgate.decision.rate_limits == [{"scope": "principal", "limit": 5, "per": "1s", "local_fallback": true}] with input as fx.call("fs.read_file", {}, {})
		with data.toolgate.settings as fx.settings_with("rate_limits", {"principal": {"limit": 5, "per": "1s"}})
}

test_a_bucket_without_a_numeric_limit_blocks if {
	data.toolgate.decision.rate_limits == [{"scope": "principal", "limit": 0, "per": "1m", "local_fallback": true}] with input as fx.call("fs.read_file", {}, {})
		with data.toolgate.settings as fx.settings_with("rate_limits", {"principal": {"limit": "many"}})
}

test_no_buckets_for_an_unauthenticated_principal if {
	data.toolgate.decision.rate_limits == [] with input as {"tool": {"name": "fs.read_file"}, "principal": {"id": ""}}
}

test_local_fallback_risks_come_from_settings if {
	data.toolgate.decision.rate_limits[1].local_fallback == true with input as fx.call("fs.delete", {}, {})
		with data.toolgate.settings.rate_limits.local_fallback_risks as ["high"]
}

test_a_tool_without_a_row_gets_the_default_buckets if {
	data.toolgate.decision.rate_limits == [
		{"scope": "principal_tool", "limit": 60, "per": "1m", "local_fallback": false},
		{"scope": "principal", "limit": 300, "per": "1m", "local_fallback": false},
		{"scope": "session", "limit": 1000, "per": "1h", "local_fallback": false},
	] with input as fx.call("k8s.delete_namespace", {}, {})
}
