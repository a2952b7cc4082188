package toolgate.auditspec_test

import data.toolgate.auditspec
import data.toolgate.fixtures as fx

test_level_warns_for_risky_tools if {
	auditspec.level("high") == "warn"
	auditspec.level("critical") == "warn"
	auditspec.level("medium") == "info"
	auditspec.level("low") == "info"
}

test_redact_names_secret_fields_and_catalog_arguments if {
	call_input := object.union(fx.call("http.fetch", {}, {}), {"facts": {"secrets": [
		{"field": "arguments.body", "kind": "jwt"},
		{"field": "arguments.headers.Authorization", "kind": "github_token"},
		{"kind": "jwt"},
	]}})
	auditspec.redact == ["arguments.body", "arguments.headers", "arguments.headers.Authorization"] with input as call_input
}

test_nothing_to_redact if {
	auditspec.redact == [] with input as fx.call("fs.read_file", {}, {})
}
