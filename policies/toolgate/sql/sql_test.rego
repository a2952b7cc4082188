package toolgate.sql_test

import data.toolgate.fixtures as fx
import data.toolgate.sql
import data.toolgate.tables

field := "arguments.query"

v(code, severity, message) := fx.violation(code, severity, field, message)

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
