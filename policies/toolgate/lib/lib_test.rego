package toolgate.lib_test

import data.toolgate.fixtures as fx
import data.toolgate.lib

test_known_tool_has_its_catalog_class_and_risk if {
	call_input := fx.call("fs.delete", {"path": "x"}, {})
	lib.tool.class == "fs_delete" with input as call_input
	lib.class == "fs_delete" with input as call_input
	lib.risk_of("fs.delete") == "high"
	lib.class_of("fs.delete") == "fs_delete"
}

test_unknown_tool_has_no_entry_no_class_and_critical_risk if {
	call_input := fx.call("nope", {}, {})
	not lib.tool with input as call_input
	lib.class == "" with input as call_input
	lib.risk_of("nope") == "critical"
	lib.class_of("nope") == ""
}

test_catalog_entry_without_class_is_unknown if {
	not lib.tool with input as fx.call("odd", {}, {}) with data.toolgate.tools.odd as {"risk": "low"}
}

test_call_without_tool_has_empty_class if {
	lib.class == "" with input as {}
}

test_authenticated_needs_a_non_blank_string_id if {
	lib.authenticated with input as {"principal": {"id": "alice"}}
	not lib.authenticated with input as {"principal": {"id": " \t"}}
	not lib.authenticated with input as {"principal": {"id": 7}}
	not lib.authenticated with input as {"principal": {}}
}

test_workspace_is_an_absolute_path_without_trailing_slash if {
	lib.workspace == "/srv/work" with input as {"environment": {"workspace": "/srv/work/"}}
	lib.workspace == "" with input as {"environment": {"workspace": "/"}}
	lib.workspace == "" with input as {"environment": {"workspace": "srv/work"}}
	lib.workspace == "" with input as {"environment": {"workspace": 1}}
	lib.workspace == "" with input as {}
}

test_marked_keys_one_fact_per_argument if {
	lib.marked == {"arguments.command": "shell", "arguments.cwd": "path"} with input as fx.call("shell.exec", {"command": "ls", "cwd": "src"}, {})
	lib.marked == {"arguments.command": "shell"} with input as fx.call("shell.exec", {"command": "ls"}, {})
}

test_marked_keys_array_arguments_per_element if {
	lib.marked == {"arguments.paths[0]": "path", "arguments.paths[1]": "path"} with input as fx.call("read_multiple_files", {"paths": ["a", "b"]}, {})
}

test_marked_keys_an_email_list_once if {
	lib.marked == {"arguments.to": "email"} with input as fx.call("email.send", {"to": ["a@x", "b@x"]}, {})
}

test_kinds_come_from_marks_and_from_supplied_facts if {
	lib.kinds == {"path"} with input as fx.call("fs.read_file", {"path": "a"}, {})
	lib.kinds == {"url", "sql"} with input as fx.call("nope", {}, {"urls": {"x": {}}, "sql": {"y": {}}, "paths": {}, "emails": [1]})
}

test_fields_are_marked_and_supplied if {
	call_input := fx.call("fs.read_file", {"path": "a"}, {"paths": {"arguments.other": {}}})
	lib.fields("path") == {"arguments.path", "arguments.other"} with input as call_input
	lib.fields("url") == set() with input as call_input
	lib.fields("email") == {"arguments.to"} with input as fx.call("nope", {}, {"emails": {"arguments.to": {}}})
}

test_supplied_maps_each_kind_to_its_facts if {
	lib.supplied == {"path": {"a": 1}, "url": {}, "shell": {"b": 2}, "sql": [], "email": {"c": 3}} with input as {"facts": {
		"paths": {"a": 1}, "urls": {}, "shell": {"b": 2}, "sql": [], "emails": {"c": 3}, "secrets": [],
	}}
	lib.supplied == {} with input as {}
}

test_basename if {
	lib.basename("/a/b/c.txt") == "c.txt"
	lib.basename("c") == "c"
}
