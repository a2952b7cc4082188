package toolgate.authz_test

import data.toolgate.authz
import data.toolgate.fixtures as fx

unauthenticated := fx.violation("unauthenticated", "high", "", "the principal has no id")

unknown_principal := fx.violation("unknown_principal", "high", "", "none of the principal's roles is defined by the site")

unknown_tool := fx.violation("unknown_tool", "high", "", "the tool is not in the catalog")

read_call := fx.call("fs.read_file", {"path": "a"}, {})

test_a_developer_may_read if {
	authz.violations == set() with input as read_call
}

test_missing_or_blank_id_is_unauthenticated if {
	authz.violations == {unauthenticated} with input as object.union(read_call, {"principal": {"id": "", "roles": ["developer"]}})
	authz.violations == {unauthenticated} with input as json.remove(read_call, ["principal/id"])
}

test_roles_the_site_does_not_define_are_an_unknown_principal if {
	authz.violations == {unknown_principal} with input as fx.by(read_call, ["root"])
	authz.violations == {unknown_principal} with input as fx.by(read_call, [])
}

test_empty_input_is_denied_on_every_count if {
	authz.violations == {unauthenticated, unknown_principal, unknown_tool} with input as {}
}

test_a_tool_outside_the_catalog_is_unknown if {
	authz.violations == {unknown_tool} with input as fx.call("debug_dump", {}, {})
}

test_a_role_without_the_class_is_not_permitted if {
	authz.violations == {fx.violation("role_not_permitted", "high", "", "no role of the principal may use fs_write tools")} with input as fx.by(fx.call("fs.write_file", {}, {}), ["viewer"])
}

test_any_role_of_the_principal_may_permit if {
	authz.violations == set() with input as fx.by(fx.call("fs.write_file", {}, {}), ["viewer", "developer"])
}

test_a_role_may_name_a_tool_outside_its_classes if {
	authz.violations == set() with input as fx.by(fx.call("shell.exec", {}, {}), ["viewer"])
		with data.toolgate.settings.roles.viewer.tools as ["shell.exec"]
}

test_role_not_permitted_needs_a_known_tool_and_principal if {
	authz.violations == {unknown_tool} with input as fx.by(fx.call("debug_dump", {}, {}), ["viewer"])
	authz.violations == {unknown_principal} with input as fx.by(fx.call("fs.write_file", {}, {}), ["root"])
}
