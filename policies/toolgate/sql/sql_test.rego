package toolgate.sql_test

import data.toolgate.fixtures as fx
import data.toolgate.sql
import data.toolgate.tables

field := "arguments.query"

v(code, severity, message) := fx.violation(code, severity, field, message)

# calls is a statement of kind that calls the functions fns.
calls(kind, fns) := object.union(fx.statement(kind, true), {"functions": fns})

run(statements, roles) := vs if {
	vs := sql.violations with input as fx.by(fx.sql_call(fx.sql(statements)), roles)
}

test_reads_are_fine_for_every_role_with_sql if {
	run([fx.statement("select", true)], ["developer"]) == set()
	run([fx.statement("select", false)], ["admin"]) == set()
	run([fx.statement("show", false)], ["developer"]) == set()
}

test_sql_without_a_usable_fact_is_unparsed if {
	unparsed := {v("sql_unparsed", "high", "the SQL text could not be parsed")}
	sql.violations == unparsed with input as fx.call("sql.query", {"query": "x"}, {})
	sql.violations == unparsed with input as fx.sql_call({"ok": false, "error": "unterminated string"})
	sql.violations == unparsed with input as fx.sql_call({"ok": true, "statements": [{"kind": "select"}], "count": 1})
}

test_writes_need_a_role_that_allows_them if {
	run([fx.statement("insert", false)], ["developer"]) == {v("sql_write_denied", "high", "INSERT statements need a role that allows SQL writes")}
	run([fx.statement("update", true)], ["developer"]) == {v("sql_write_denied", "high", "UPDATE statements need a role that allows SQL writes")}
	run([fx.statement("insert", false)], ["admin"]) == set()
	run([fx.statement("update", true)], ["developer", "admin"]) == set()
}

test_cte_and_explain_count_as_writes if {
	# WITH may wrap a DELETE, EXPLAIN ANALYZE runs its statement: fail closed
	run([fx.statement("with", false)], ["developer"]) == {v("sql_write_denied", "high", "WITH statements need a role that allows SQL writes")}
	run([fx.statement("explain", false)], ["developer"]) == {v("sql_write_denied", "high", "EXPLAIN statements need a role that allows SQL writes")}
}

test_destructive_statements_are_denied_even_to_writers if {
	run([fx.statement("drop", false)], ["admin"]) == {v("sql_destructive", "critical", "DROP statements are destructive")}
	run([fx.statement("truncate", false)], ["admin"]) == {v("sql_destructive", "critical", "TRUNCATE statements are destructive")}
	run([fx.statement("grant", false)], ["admin"]) == {v("sql_destructive", "critical", "GRANT statements are destructive")}
	run([fx.statement("delete", false)], ["admin"]) == {v("sql_destructive", "critical", "DELETE without WHERE")}
	run([fx.statement("update", false)], ["admin"]) == {v("sql_destructive", "critical", "UPDATE without WHERE")}
	run([fx.statement("delete", true)], ["admin"]) == set()
}

test_destructive_for_a_reader_is_both_destructive_and_a_write if {
	run([fx.statement("alter", false)], ["developer"]) == {
		v("sql_destructive", "critical", "ALTER statements are destructive"),
		v("sql_write_denied", "high", "ALTER statements need a role that allows SQL writes"),
	}
}

test_stacked_statements if {
	run([fx.statement("select", false), fx.statement("select", false)], ["developer"]) == {v("sql_stacked", "high", "more than one SQL statement")}
	sql.violations == {v("sql_stacked", "high", "more than one SQL statement")} with input as fx.sql_call({"ok": true, "statements": [fx.statement("select", false)], "count": 2, "comments": true})
	sql.violations == {v("sql_stacked", "high", "more than one SQL statement")} with input as fx.sql_call({"ok": true, "statements": [fx.statement("select", false), fx.statement("select", false)], "count": 1})
}

test_a_role_with_sql_destructive_may_run_migrations if {
	statements := [fx.statement("alter", false), fx.statement("drop", false)]
	run(statements, ["dba"]) == set() with data.toolgate.settings.roles.dba as {"classes": ["sql"], "sql_write": true, "sql_destructive": true}
}

test_read_and_destructive_kinds_come_from_settings if {
	settings := {"read_kinds": ["select", "explain"], "destructive_kinds": ["drop", "create"]}
	run([fx.statement("explain", false)], ["developer"]) == set() with data.toolgate.settings.sql as settings
	run([fx.statement("create", false)], ["admin"]) == {v("sql_destructive", "critical", "CREATE statements are destructive")} with data.toolgate.settings.sql as settings
}

test_missing_sql_settings_use_the_defaults if {
	run([fx.statement("insert", false)], ["developer"]) == {v("sql_write_denied", "high", "INSERT statements need a role that allows SQL writes")} with data.toolgate.settings.sql as "x"
}

# The quick test (violations) and the findings agree on every kind of statement list.
test_the_quick_test_agrees_with_the_findings if {
	every statements in [
		[fx.statement("select", false)], [fx.statement("select", true), fx.statement("select", true)],
		[fx.statement("delete", false)], [fx.statement("drop", false)], [fx.statement("insert", false)], [],
		[calls("select", ["lower"])], [calls("select", ["nextval"])], [calls("select", ["dblink_exec"])],
	] {
		every roles in [["developer"], ["admin"]] {
			call_input := fx.by(fx.sql_call(fx.sql(statements)), roles)
			sql.violations == sql.findings with input as call_input
			sql.violations == sql.findings with input as call_input with data.toolgate.settings.sql.read_kinds as ["select", "drop"]
		}
	}
}

# tables.sql_write and tables.sql_destructive list the site roles whose flag is true.
test_sql_role_tables_list_the_roles_whose_flag_is_true if {
	tables.sql_write == {"admin": true}
	tables.sql_destructive == {}
	roles := {"a": {"sql_write": true, "sql_destructive": true}, "b": {"sql_write": "yes", "sql_destructive": 1}, "c": true}
	tables.sql_write == {"a": true} with data.toolgate.settings.roles as roles
	tables.sql_destructive == {"a": true} with data.toolgate.settings.roles as roles
}

# Only a role the site defines with the flag set to true grants it; any of the
# principal's roles may.
test_sql_flags_come_from_the_principal_roles if {
	run([fx.statement("insert", false)], ["viewer", "root", 3]) == {v("sql_write_denied", "high", "INSERT statements need a role that allows SQL writes")}
	run([fx.statement("insert", false)], ["odd"]) == {v("sql_write_denied", "high", "INSERT statements need a role that allows SQL writes")} with data.toolgate.settings.roles.odd as {"sql_write": "yes"}
	sql.violations == {v("sql_write_denied", "high", "INSERT statements need a role that allows SQL writes")} with input as object.union(fx.sql_call(fx.sql([fx.statement("insert", false)])), {"principal": {"roles": "admin"}})
	run([fx.statement("drop", false)], ["viewer", "dba"]) == set() with data.toolgate.settings.roles.dba as {"sql_write": true, "sql_destructive": true}
}

test_reads_calling_harmless_functions_are_reads if {
	run([calls("select", ["count", "lower", "now", "coalesce", "json_build_object"])], ["developer"]) == set()
}

test_a_read_calling_a_write_function_is_a_write if {
	run([calls("select", ["lower", "nextval"])], ["developer"]) == {v("sql_write_denied", "high", "nextval() calls need a role that allows SQL writes")}
	run([calls("select", ["pg_read_file", "set_config"])], ["developer"]) == {
		v("sql_write_denied", "high", "pg_read_file() calls need a role that allows SQL writes"),
		v("sql_write_denied", "high", "set_config() calls need a role that allows SQL writes"),
	}
	run([calls("select", ["nextval"])], ["admin"]) == set()
}

# A statement that is no read is denied for its kind, not once more per function.
test_a_write_calling_a_write_function_is_denied_once if {
	run([calls("insert", ["nextval"])], ["developer"]) == {v("sql_write_denied", "high", "INSERT statements need a role that allows SQL writes")}
}

test_a_destructive_function_is_destructive_for_every_role_without_sql_destructive if {
	run([calls("select", ["dblink_exec"])], ["developer"]) == {
		v("sql_destructive", "critical", "dblink_exec() calls are destructive"),
		v("sql_write_denied", "high", "dblink_exec() calls need a role that allows SQL writes"),
	}
	run([calls("insert", ["sys_exec"])], ["admin"]) == {v("sql_destructive", "critical", "sys_exec() calls are destructive")}
	run([calls("select", ["lo_export"])], ["dba"]) == set() with data.toolgate.settings.roles.dba as {"sql_write": true, "sql_destructive": true}
}

test_code_and_principal_statements_are_destructive_for_admins if {
	every kind in ["do", "create_role", "create_extension", "create_untrusted_function", "load_library"] {
		run([fx.statement(kind, false)], ["admin"]) == {v("sql_destructive", "critical", sprintf("%s statements are destructive", [upper(kind)]))}
	}
	run([fx.statement("create", false)], ["admin"]) == set()
}

test_functions_come_from_settings if {
	settings := {"write_functions": ["My_Func", 3], "destructive_functions": ["Evil"]}
	run([calls("select", ["my_func"])], ["developer"]) == {v("sql_write_denied", "high", "my_func() calls need a role that allows SQL writes")} with data.toolgate.settings.sql as settings
	run([calls("select", ["evil"])], ["admin"]) == {v("sql_destructive", "critical", "evil() calls are destructive")} with data.toolgate.settings.sql as settings
	run([calls("select", ["nextval", "dblink_exec"])], ["developer"]) == set() with data.toolgate.settings.sql as settings
}

test_functions_that_are_no_list_make_the_fact_unusable if {
	sql.violations == {v("sql_unparsed", "high", "the SQL text could not be parsed")} with input as fx.sql_call(fx.sql([calls("select", "nextval")]))
}

# The defaults in the policy are the settings shipped in settings/data.json.
test_the_defaults_are_the_shipped_settings if {
	shipped := data.toolgate.settings.sql
	sql.read_kinds == shipped.read_kinds with data.toolgate.settings.sql as {}
	sql.destructive_kinds == shipped.destructive_kinds with data.toolgate.settings.sql as {}
	sql.write_functions == sql.names(shipped.write_functions) with data.toolgate.settings.sql as {}
	sql.destructive_functions == sql.names(shipped.destructive_functions) with data.toolgate.settings.sql as {}
}
