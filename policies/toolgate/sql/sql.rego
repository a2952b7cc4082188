# METADATA
# title: SQL statements
# description: |
#   SQL arguments (input.facts.sql) are judged on the statement kinds the engine's
#   tokenizer found, so comments, case and quoting tricks are already undone.
#   Stacked and destructive statements are denied unless a role of the principal has
#   sql_destructive; any statement that is not a read needs a role with sql_write.
package toolgate.sql

import data.toolgate.lib
import data.toolgate.tables

fields := lib.fields("sql")

# violations of the SQL facts: empty, without evaluating each finding, when every
# statement text is one read statement (settings read_kinds) that is not destructive:
# nothing below applies whatever the roles. Otherwise every finding that applies.
violations := set() if {
	every field in fields {
		f := input.facts.sql[field]
		valid(f)
		f.count <= 1
		count(f.statements) <= 1
		every st in f.statements {
			st.kind in read_kinds
			not destructive(st, destructive_kinds)
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
	}
}

default cfg := {}

cfg := data.toolgate.settings.sql if is_object(data.toolgate.settings.sql)

read_kinds := object.get(cfg, "read_kinds", ["select", "show", "describe", "desc", "values", "table"])

destructive_kinds := object.get(cfg, "destructive_kinds", ["drop", "truncate", "alter", "grant", "revoke", "copy_program"])

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
# description: DROP, TRUNCATE, ALTER, GRANT, REVOKE, COPY … PROGRAM (settings.sql.destructive_kinds), or DELETE/UPDATE without WHERE.
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
