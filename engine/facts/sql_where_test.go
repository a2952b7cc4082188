package facts

import (
	"strings"
	"testing"
)

// TestSQLAlwaysTrueWhere: a WHERE that is always true counts as none, in
// every form an attacker may write it; a real filter never does.
func TestSQLAlwaysTrueWhere(t *testing.T) {
	t.Parallel()
	alwaysTrue := []string{
		"1 = 1.0", "1.0e0 = 1", "TRUE IS TRUE", "true is not false", "1 IS NOT NULL", "NULL IS NULL",
		"1 = 1 IS TRUE", "(1 = 2) IS FALSE", "1 IN (1)", "1 IN (2, 1)", "'a' IN ('b', 'A')", "id IN (id)",
		"1::bool", "'t'::boolean", "(1)::bool", "CAST(1 AS boolean)", "cast('yes' as bool)", "!0", "!!1",
		"! 0", "!0 = 1", "a.id = a.id", "`users`.`id` = users.id", "`Id` = id", "'x' LIKE '%'",
		"'abc' LIKE 'a_c'", "'é' LIKE '_'", "'a%' LIKE 'a\\%'", "name LIKE '%%'", "'X' ILIKE 'x'",
		"id IS NOT NULL OR 1", "id IS NOT DISTINCT FROM id", "1 IS DISTINCT FROM 2", "id = 5 || 1",
		"1 && 1", "1e0", "-1", "+2", "0x1", "0b1", "1_000", "1e-999", "'a' = 'A'", "'1' = 1", "'abc' = 0",
		"'t' = TRUE", "NOT (1 = 2)", "NOT NOT 1", "(1) = (1)", "'yes'", "E'x' = 'x'",
		"_utf8mb4 'x' = 'x'", "1 <=> 1", "NULL <=> NULL", "2 >= 1", "'b' > 'a'", "x = x AND 1",
		strings.Repeat("- ", 20) + "1", "1 = " + strings.Repeat("(", 20) + "2" + strings.Repeat(")", 20),
		"'" + strings.Repeat("a", 5000) + "' LIKE 'b'",
	}
	for _, cond := range alwaysTrue {
		t.Run(cond[:min(len(cond), 40)], func(t *testing.T) {
			q := "DELETE FROM users WHERE " + cond
			assertTerm(t, ParseSQL(q).Term(), sqlJSON(1, false, st("delete", false, false)))
		})
	}
	realFilters := []string{
		"id = 5", "id IN (1, 2)", "name LIKE 'a%'", "name LIKE '%x%'", "'x' LIKE name", "id IS NULL",
		"id IS NOT NULL", "active IS TRUE", "a.id = b.id", `"ID" = id`, "id = 5 OR 1 = 2", "1 = 1 AND id = 3",
		"flag::bool", "!flag", "id BETWEEN 1 AND 5", "id = 1 || 'x'", "tags && ARRAY[1]",
		"1 IN (SELECT id FROM t)", "NOT (id = 5)", "1 = 2", "id = id + 0", "NULL", "1 = NULL", "NOT NULL",
		"'x' NOT LIKE 'y' AND id = 1", "id IS DISTINCT FROM 5", "1 = 1 = id", "x IS TRUE IS TRUE",
		"1 IN 1", "'a' LIKE 5", "CAST(flag AS bool)", "id = -name", "'x' IN (name)", "1 ~ 1",
	}
	for _, cond := range realFilters {
		t.Run(cond, func(t *testing.T) {
			q := "DELETE FROM users WHERE " + cond
			assertTerm(t, ParseSQL(q).Term(), sqlJSON(1, false, st("delete", true, false)))
		})
	}
}

func TestSQLNumbers(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, q, want string }{
		// "1e--" keeps its comment: the sign belongs to no exponent.
		{"exponent before a comment", "SELECT 1e-- '\n; DROP TABLE t; -- '",
			sqlJSON(2, true, st("select", false, false), st("drop", false, false))},
		{"leading zero is decimal", "DELETE FROM t WHERE 010 = 10", sqlJSON(1, false, st("delete", false, false))},
		{"dollar after a number", "SELECT 1$a$;DROP TABLE t;$a$", sqlJSON(3, false, st("select", false, false),
			st("drop", false, false), st("unknown", false, false))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assertTerm(t, ParseSQL(c.q).Term(), c.want) })
	}
}

func TestLikeMatch(t *testing.T) {
	t.Parallel()
	cases := []struct {
		s, p string
		want bool
	}{
		{"abc", "abc", true}, {"abc", "a%", true}, {"abc", "%c", true}, {"abc", "%b%", true}, {"abc", "a_c", true},
		{"abc", "ab", false}, {"abc", "%d%", false}, {"a%", `a\%`, true}, {"ab", `a\%`, false}, {"", "%", true},
		{"aaab", "%a%ab", true}, {"ab", "a_%_", false}, {`a\`, `a\`, true},
	}
	for _, c := range cases {
		if got := likeMatch(c.s, c.p); got != c.want {
			t.Errorf("likeMatch(%q, %q) = %v", c.s, c.p, got)
		}
	}
}

// TestSQLWhereStaysLinear feeds long conditions; a regression to quadratic
// or unbounded recursion shows up as a timeout.
func TestSQLWhereStaysLinear(t *testing.T) {
	t.Parallel()
	const n = 30000
	cases := []struct {
		cond     string
		hasWhere bool
	}{
		{strings.Repeat("NOT ", n) + "1", false},
		{strings.Repeat("! ", n) + "0", false}, // past the bound: trivial as a whole
		{strings.Repeat("- ", n) + "1", false},
		{"1" + strings.Repeat("::int", n), false},
		{"0 IN (" + strings.Repeat("1, ", n) + "0)", false},
		{"id IN (" + strings.Repeat("1, ", n) + "2)", true},
		{"x" + strings.Repeat(" IS TRUE", n), true},
		{strings.Repeat("id = 1 OR ", n/2) + "id = 2", true},
		{"NOT " + strings.Repeat("(", 17) + "id = 0" + strings.Repeat(")", 17), false},
		{strings.Repeat("!", 17) + " 0", false},
		{strings.Repeat("(", n) + "id = 1" + strings.Repeat(")", n), false},
	}
	for _, c := range cases {
		assertTerm(t, ParseSQL("DELETE FROM t WHERE "+c.cond).Term(), sqlJSON(1, false, st("delete", c.hasWhere, false)))
	}
}
