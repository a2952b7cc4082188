# METADATA
# title: SQL statements
# description: |
#   SQL arguments (input.facts.sql) are judged on the statement kinds the engine's
#   tokenizer found, so comments, case and quoting tricks are already undone.
#   Stacked and destructive statements are denied unless a role of the principal has
#   sql_destructive; any statement that is not a read needs a role with sql_write. A
#   read that calls a function that writes or acts on the server (settings
#   write_functions) is a write, and a call of one of destructive_functions (running
#   code or SQL elsewhere, writing server files) is destructive.
package toolgate.sql

import data.toolgate.lib
import data.toolgate.tables

fields := lib.fields("sql")

# violations of the SQL facts: empty, without evaluating each finding, when every
# statement text is one read statement (settings read_kinds) that is not destructive
# and calls no function of write_functions or destructive_functions: nothing below
# applies whatever the roles. Otherwise every finding that applies.
violations := set() if {
	every field in fields {
		f := input.facts.sql[field]
		valid(f)
		f.count <= 1
		count(f.statements) <= 1
		every st in f.statements {
			st.kind in read_kinds
			not destructive(st, destructive_kinds)
			count(write_calls(st)) == 0
		}
	}
} else := findings

# facts maps each SQL field to its fact, for facts that have the documented shape.
facts := {field: f |
	some field in fields
	f := input.facts.sql[field]
	valid(f)
}

valid(f) if {
	f.ok == true
	is_number(f.count)
	is_array(f.statements)
	every st in f.statements {
		is_string(st.kind)
		is_boolean(st.has_where)
		is_array(functions(st))
	}
}

# functions are the lower-cased names of the functions a statement calls.
functions(st) := object.get(st, "functions", [])

default cfg := {}

cfg := data.toolgate.settings.sql if is_object(data.toolgate.settings.sql)

read_kinds := object.get(cfg, "read_kinds", ["select", "show", "describe", "desc", "values", "table"])

destructive_kinds := object.get(cfg, "destructive_kinds", [
	"drop", "truncate", "alter", "grant", "revoke", "copy_program", "do", "create_role",
	"create_extension", "create_untrusted_function", "load_library",
])

# write_functions write, read server files or act on the server: a read calling one is
# a write. destructive_functions run code or SQL elsewhere or write server files.
write_functions := names(object.get(cfg, "write_functions", [
	"dblink_connect", "dblink_connect_u", "dblink_open", "lo_import", "lo_from_bytea", "lo_create",
	"lo_creat", "lo_unlink", "lo_put", "lo_truncate", "lo_truncate64", "lowrite", "nextval", "setval",
	"set_config", "pg_reload_conf", "pg_terminate_backend", "pg_cancel_backend", "pg_rotate_logfile",
	"pg_promote", "pg_switch_wal", "pg_create_restore_point", "pg_backup_start", "pg_backup_stop",
	"pg_start_backup", "pg_stop_backup", "pg_wal_replay_pause", "pg_wal_replay_resume",
	"pg_create_logical_replication_slot", "pg_create_physical_replication_slot",
	"pg_drop_replication_slot", "pg_logical_slot_get_changes", "pg_replication_origin_create",
	"pg_stat_reset", "pg_stat_reset_shared", "pg_stat_statements_reset", "pg_read_file",
	"pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir", "pg_ls_waldir", "pg_ls_tmpdir",
	"pg_ls_archive_statusdir", "pg_file_read", "pg_logdir_ls", "load_file", "sys_get", "sys_set",
	"readfile",
]))

destructive_functions := names(object.get(cfg, "destructive_functions", [
	"dblink", "dblink_exec", "dblink_send_query", "lo_export", "pg_file_write", "pg_file_rename",
	"pg_file_unlink", "writefile", "load_extension", "fts3_tokenizer", "sys_exec", "sys_eval",
	"sys_bineval", "openrowset", "opendatasource", "openquery",
]))

names(list) := {lower(name) | some name in list; is_string(name)}

# destructive_calls and write_calls are the functions of those lists a statement calls
# (a destructive one writes too).
destructive_calls(st) := {name | some name in functions(st); name in destructive_functions}

write_calls(st) := {name | some name in functions(st); name in write_functions} | destructive_calls(st)

# may_write and may_destroy: some role of the principal has sql_write or
# sql_destructive (toolgate.tables.sql_write, toolgate.tables.sql_destructive).
default may_write := false

may_write if {
	some name in input.principal.roles
	tables.sql_write[name]
}

default may_destroy := false

may_destroy if {
	some name in input.principal.roles
	tables.sql_destructive[name]
}

# METADATA
# title: SQL not parsed
# description: A SQL argument has no usable fact (unterminated string or comment, not a string).
# custom:
#   code: sql_unparsed
#   severity: high
findings contains v if {
	some field in fields
	not facts[field]
	v := {"code": "sql_unparsed", "severity": "high", "field": field, "message": "the SQL text could not be parsed"}
}

# METADATA
# title: Stacked statements
# description: More than one statement in one argument.
# custom:
#   code: sql_stacked
#   severity: high
findings contains v if {
	not may_destroy
	some field, f in facts
	stacked(f)
	v := {"code": "sql_stacked", "severity": "high", "field": field, "message": "more than one SQL statement"}
}

# METADATA
# title: Destructive statement
# description: DROP, TRUNCATE, ALTER, GRANT, REVOKE, COPY … PROGRAM, DO, CREATE ROLE, CREATE EXTENSION, untrusted functions, LOAD (settings.sql.destructive_kinds), or DELETE/UPDATE without WHERE.
# custom:
#   code: sql_destructive
#   severity: critical
findings contains v if {
	not may_destroy
	some field, f in facts
	some st in f.statements
	message := destructive(st, destructive_kinds)
	v := {"code": "sql_destructive", "severity": "critical", "field": field, "message": message}
}

# METADATA
# title: SQL write not allowed
# description: A statement that is not a read (settings.sql.read_kinds) by a principal without a role that has sql_write.
# custom:
#   code: sql_write_denied
#   severity: high
findings contains v if {
	not may_write
	some field, f in facts
	some st in f.statements
	not st.kind in read_kinds
	v := {"code": "sql_write_denied", "severity": "high", "field": field, "message": sprintf("%s statements need a role that allows SQL writes", [upper(st.kind)])}
}

stacked(f) if f.count > 1

stacked(f) if count(f.statements) > 1

# destructive says why a statement is destructive: a DELETE or UPDATE without WHERE,
# or a kind of kinds (settings.sql.destructive_kinds); undefined when it is not.
destructive(st, kinds) := sprintf("%s without WHERE", [upper(st.kind)]) if {
	st.kind in {"delete", "update"}
	not st.has_where
} else := sprintf("%s statements are destructive", [upper(st.kind)]) if st.kind in kinds

# METADATA
# title: Destructive function
# description: A statement calling a function that runs code or SQL elsewhere or writes server files (settings.sql.destructive_functions).
# custom:
#   code: sql_destructive
#   severity: critical
findings contains v if {
	not may_destroy
	some field, f in facts
	some st in f.statements
	some name in destructive_calls(st)
	v := {"code": "sql_destructive", "severity": "critical", "field": field, "message": sprintf("%s() calls are destructive", [name])}
}

# METADATA
# title: SQL write through a function
# description: A read statement calling a function that writes or acts on the server (settings.sql.write_functions, destructive_functions) by a principal without a role that has sql_write.
# custom:
#   code: sql_write_denied
#   severity: high
findings contains v if {
	not may_write
	some field, f in facts
	some st in f.statements
	st.kind in read_kinds
	some name in write_calls(st)
	v := {"code": "sql_write_denied", "severity": "high", "field": field, "message": sprintf("%s() calls need a role that allows SQL writes", [name])}
}
