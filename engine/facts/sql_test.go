package facts

import (
	"strconv"
	"strings"
	"testing"
)

// st renders one expected statement that calls no function.
func st(kind string, hasWhere, with bool) string {
	return stf(kind, hasWhere, with)
}

// stf renders one expected statement calling functions fns.
func stf(kind string, hasWhere, with bool, fns ...string) string {
	quoted := make([]string, len(fns))
	for i, f := range fns {
		quoted[i] = strconv.Quote(f)
	}
	return `{"kind":"` + kind + `","has_where":` + strconv.FormatBool(hasWhere) + `,"with":` + strconv.FormatBool(with) +
		`,"functions":[` + strings.Join(quoted, ",") + `]}`
}

func sqlJSON(count int, comments bool, stmts ...string) string {
	return `{"ok":true,"statements":[` + strings.Join(stmts, ",") + `],"count":` + strconv.Itoa(count) +
		`,"comments":` + strconv.FormatBool(comments) + `}`
}

func TestParseSQL(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, q, want string }{
		{"select", "SELECT * FROM t", sqlJSON(1, false, st("select", false, false))},
		{"select where", "select * from t where id = 1", sqlJSON(1, false, st("select", true, false))},
		{"delete without where", "DELETE FROM t", sqlJSON(1, false, st("delete", false, false))},
		{"delete with where", "DELETE FROM t WHERE id = 7", sqlJSON(1, false, st("delete", true, false))},
		{"where one equals one", "DELETE FROM t WHERE 1=1", sqlJSON(1, false, st("delete", false, false))},
		{"where true", "update t set a = 1 where TRUE", sqlJSON(1, false, st("update", false, false))},
		{"where or tautology", "DELETE FROM t WHERE id = 5 OR 'a' = 'a'", sqlJSON(1, false, st("delete", false, false))},
		{"where parenthesised tautology", "DELETE FROM t WHERE (2 > 1)", sqlJSON(1, false, st("delete", false, false))},
		{"where and keeps filter", "DELETE FROM t WHERE 1=1 AND id = 3", sqlJSON(1, false, st("delete", true, false))},
		{"where not false", "DELETE FROM t WHERE NOT 0", sqlJSON(1, false, st("delete", false, false))},
		{"where x = x", "DELETE FROM t WHERE id = id", sqlJSON(1, false, st("delete", false, false))},
		{"where distinct strings", "DELETE FROM t WHERE 'a' <> 'b' ORDER BY id", sqlJSON(1, false, st("delete", false, false))},
		{"where in subquery only", "UPDATE t SET a = (SELECT b FROM u WHERE u.id = 1)", sqlJSON(1, false, st("update", false, false))},
		{"where after subquery", "UPDATE t SET a = (SELECT 1) WHERE id = 2", sqlJSON(1, false, st("update", true, false))},
		{"stacked", "SELECT 1; DROP TABLE users;", sqlJSON(2, false, st("select", false, false), st("drop", false, false))},
		{"empty statements skipped", ";; SELECT 1 ;;", sqlJSON(1, false, st("select", false, false))},
		{"empty text", "  ", sqlJSON(0, false)},
		{"line comment hides nothing", "SELECT 1 -- ; DROP TABLE t", sqlJSON(1, true, st("select", false, false))},
		{"comment then keyword", "/* x */ -- y\n  DELETE FROM t", sqlJSON(1, true, st("delete", false, false))},
		{"nested comment", "/* a /* b */ ; DROP TABLE t; */ SELECT 1",
			sqlJSON(2, true, st("select", false, false), st("drop", false, false), st("unknown", false, false))},
		{"mysql executable comment", "SELECT 1 /*!50000 ; DROP TABLE t */",
			sqlJSON(2, true, st("select", false, false), st("drop", false, false))},
		{"mariadb executable comment", "/*M!100100 DELETE FROM t */", sqlJSON(1, true, st("delete", false, false))},
		{"hash comment", "SELECT 1 # ; DROP TABLE t", sqlJSON(2, true, st("select", false, false), st("drop", false, false))},
		{"dash without space", "SELECT 1 --x; DROP TABLE t", sqlJSON(2, true, st("select", false, false), st("drop", false, false))},
		{"quoted semicolon", "SELECT ';DROP TABLE t' FROM t", sqlJSON(1, false, st("select", false, false))},
		{"doubled quote", "SELECT 'it''s; ok'", sqlJSON(1, false, st("select", false, false))},
		{"backslash quote mysql only", `SELECT 'it\'s'`, sqlJSON(1, false, st("select", false, false))},
		{"backslash quote both readings", `SELECT 'a\'; DROP TABLE t; -- '`,
			sqlJSON(2, true, st("select", false, false), st("drop", false, false))},
		// SQLite reads E'a\' and runs "SELECT E'a\'" before failing on the rest.
		{"postgres escape string", `SELECT E'a\'; b' FROM t WHERE x = 1`, sqlJSON(1, false, st("select", true, false), st("select", false, false))},
		{"double-quoted identifier", `DELETE FROM "t;x" WHERE "id" = 1`, sqlJSON(1, false, st("delete", true, false))},
		{"backtick identifier", "DELETE FROM `a;b`", sqlJSON(1, false, st("delete", false, false))},
		{"dollar quoting", "SELECT $$;DROP TABLE t;$$", sqlJSON(3, false, st("select", false, false), st("drop", false, false), st("unknown", false, false))},
		{"tagged dollar quoting", "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
			sqlJSON(2, false, stf("create", false, false, "f"), st("unknown", false, false))},
		{"dollar hides from postgres", "SELECT $$ ; DROP TABLE t; SELECT '$$",
			sqlJSON(2, false, st("select", false, false), st("drop", false, false))},
		{"cte main delete", "WITH x AS (SELECT 1) DELETE FROM t", sqlJSON(1, false, st("delete", false, true))},
		{"recursive cte select", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n < 3) SELECT * FROM r",
			sqlJSON(1, false, stf("select", false, true, "r"))},
		{"data-modifying cte", "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d WHERE x = 1",
			sqlJSON(1, false, st("delete", false, true))},
		{"data-modifying cte with where", "WITH d AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM d",
			sqlJSON(1, false, st("delete", true, true))},
		{"two ctes update", "WITH a AS (SELECT 1), b AS MATERIALIZED (SELECT 2) UPDATE t SET x = 1 WHERE y = 2",
			sqlJSON(1, false, st("update", true, true))},
		{"with without main", "WITH x AS (SELECT 1)", sqlJSON(1, false, st("with", false, true))},
		{"explain analyze runs", "EXPLAIN ANALYZE DELETE FROM t", sqlJSON(1, false, st("delete", false, false))},
		{"explain options", "EXPLAIN (ANALYZE, FORMAT JSON) UPDATE t SET a = 1 WHERE id = 1", sqlJSON(1, false, st("update", true, false))},
		{"parenthesised select", "(SELECT 1) UNION (SELECT 2)", sqlJSON(1, false, st("select", false, false))},
		{"non-keyword start", "'x'", sqlJSON(1, false, st("unknown", false, false))},
		{"other kinds", "TRUNCATE t; GRANT ALL ON t TO x; CALL p(); Insert INTO t VALUES (1)",
			sqlJSON(4, false, st("truncate", false, false), st("grant", false, false), stf("call", false, false, "p"), st("insert", false, false))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParseSQL(c.q).Term(), c.want)
		})
	}
}

func TestParseSQLRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, q, err string }{
		{"unterminated string", "SELECT 'abc", "postgresql: unterminated quoted string or identifier"},
		{"unterminated identifier", `SELECT "abc`, "postgresql: unterminated quoted string or identifier"},
		{"unterminated comment", "SELECT 1 /* x", "postgresql: unterminated comment"},
		{"unterminated dollar quote everywhere", "SELECT $a$ x; 'y", "postgresql: unterminated quoted string or identifier"},
		{"unterminated executable comment", "SELECT 1 /*! x", "postgresql: unterminated comment"},
		{"too long", strings.Repeat(" ", maxSQLBytes+1), "SQL text longer than 262144 bytes"},
		{"too many statements", strings.Repeat("SELECT 1;", maxSQLStatements+1), "postgresql: more than 1000 statements"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParseSQL(c.q).Term(), `{"ok":false,"error":`+jsonString(c.err)+`}`)
		})
	}
}
