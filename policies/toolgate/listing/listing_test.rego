package toolgate.listing_test

import data.toolgate.listing

settings := {"roles": {
	"viewer": {"classes": ["fs_read"], "tools": []},
	"operator": {"classes": [], "tools": ["shell.exec"]},
}}

tools := {
	"read_file": {"class": "fs_read", "risk": "low"},
	"write_file": {"class": "fs_write", "risk": "medium"},
	"shell.exec": {"class": "shell", "risk": "critical"},
}

listed := [
	{"name": "read_file", "annotations": {"readOnlyHint": true}},
	{"name": "write_file"},
	{"name": "shell.exec"},
	{"name": "debug_dump"},
	{"name": 7},
]

visible_for(principal) := names if {
	names := listing.visible with input as {"principal": principal, "server": "files", "tools": listed}
		with data.toolgate.settings as settings
		with data.toolgate.tools as tools
}

test_viewer_sees_only_the_classes_of_its_roles if {
	visible_for({"id": "ann", "roles": ["viewer"]}) == {"read_file"}
}

test_a_tool_named_in_a_role_is_shown if {
	visible_for({"id": "ops", "roles": ["viewer", "operator"]}) == {"read_file", "shell.exec"}
}

test_unknown_tools_are_never_shown if {
	not "debug_dump" in visible_for({"id": "ops", "roles": ["viewer", "operator"]})
}

test_unauthenticated_sees_nothing if {
	visible_for({"id": "", "roles": ["viewer"]}) == set()
}

test_unknown_role_sees_nothing if {
	visible_for({"id": "eve", "roles": ["root"]}) == set()
}

test_missing_tools_list_shows_nothing if {
	listing.visible == set() with input as {"principal": {"id": "ann", "roles": ["viewer"]}}
		with data.toolgate.settings as settings
		with data.toolgate.tools as tools
}
