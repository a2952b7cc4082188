package toolgate.sandbox_test

import data.toolgate.fixtures as fx

sandbox_for(tool) := sb if {
	sb := data.toolgate.decision.sandbox with input as fx.call(tool, {}, {})
}

test_a_read_tool_reads_the_workspace_only if {
	sandbox_for("fs.read_file") == {
		"timeout_ms": 5000, "cpu_ms": 2000, "memory_mb": 128, "max_output_bytes": 1048576,
		"max_file_bytes": 1048576, "max_open_files": 64, "max_procs": 1,
		"network": "none", "allow_hosts": [],
		"read_paths": ["/srv/work"], "write_paths": [],
		"env": ["LANG", "PATH"],
	}
}

test_the_shell_writes_the_workspace_without_network if {
	sandbox_for("shell.exec") == {
		"timeout_ms": 30000, "cpu_ms": 20000, "memory_mb": 512, "max_output_bytes": 1048576,
		"max_file_bytes": 52428800, "max_open_files": 256, "max_procs": 32,
		"network": "none", "allow_hosts": [],
		"read_paths": ["/srv/work"], "write_paths": ["/srv/work"],
		"env": ["HOME", "LANG", "LC_ALL", "PATH", "TERM", "TZ"],
	}
}

test_http_tools_reach_any_host_in_denylist_mode_and_no_files if {
	sb := sandbox_for("http.fetch")
	sb.network == "any"
	sb.allow_hosts == []
	sb.read_paths == []
	sb.write_paths == []
}

test_http_tools_reach_only_allowed_hosts_in_allowlist_mode if {
	sb := sandbox_for("fetch") with data.toolgate.settings.network as {"mode": "allowlist", "allow_hosts": ["b.example", "a.example"]}
	sb.network == "allowlist"
	sb.allow_hosts == ["a.example", "b.example"]
}

test_an_unknown_network_mode_is_allowlist_mode if {
	sandbox_for("fetch").network == "allowlist" with data.toolgate.settings.network.mode as "open"
}

test_a_tool_override_applies if {
	sandbox_for("read_media_file").max_output_bytes == 10485760
}

test_nothing_is_looser_than_the_site_maximum if {
	mx := object.union(data.toolgate.settings.sandbox_max, {"timeout_ms": 1000, "max_output_bytes": 2048, "network": "allowlist", "fs": "read", "env": ["PATH"]})
	sb := sandbox_for("http.fetch") with data.toolgate.settings.sandbox_max as mx
	sb.timeout_ms == 1000
	sb.max_output_bytes == 2048
	sb.network == "allowlist"
	sb.env == ["PATH"]
	sb2 := sandbox_for("shell.exec") with data.toolgate.settings.sandbox_max as mx
	sb2.read_paths == ["/srv/work"]
	sb2.write_paths == []
}

test_a_tool_cannot_loosen_the_site_maximum if {
	sandbox_for("read_media_file").max_output_bytes == 4096 with data.toolgate.settings.sandbox_max.max_output_bytes as 4096
}

test_a_maximum_the_site_does_not_set_is_left_to_the_runner if {
	sb := sandbox_for("fs.read_file") with data.toolgate.settings as fx.settings_with("sandbox_max", {})
	sb.timeout_ms == 0
	sb.read_paths == ["/srv/work"]
	sb.env == []
}

test_non_numeric_requests_never_win if {
	sandbox_for("fs.read_file").timeout_ms == 120000 with data.toolgate.settings.sandbox_classes.fs_read.timeout_ms as "forever"
}

test_a_class_without_defaults_uses_the_default_entry if {
	sandbox_for("sql.query").timeout_ms == 10000 with data.toolgate.settings as fx.settings_with("sandbox_classes", {"default": {"timeout_ms": 10000}})
	sandbox_for("sql.query").timeout_ms == 120000 with data.toolgate.settings as fx.settings_with("sandbox_classes", {})
}

test_non_http_classes_never_reach_the_network if {
	sandbox_for("shell.exec").network == "none" with data.toolgate.settings.sandbox_classes.shell.network as "any"
}

test_an_unknown_tool_gets_the_default_envelope if {
	sb := data.toolgate.decision.sandbox with input as {}
	sb.timeout_ms == 10000
	sb.network == "none"
	sb.read_paths == []
	sb.write_paths == []
}

test_no_paths_without_a_workspace if {
	sb := data.toolgate.decision.sandbox with input as object.union(fx.call("shell.exec", {}, {}), {"environment": {"workspace": "relative"}})
	sb.read_paths == []
	sb.write_paths == []
}
