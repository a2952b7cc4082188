package regotest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/regotest"
)

// swallowedRego passes its test only if the builtin error of to_number
// is swallowed (the expression is then undefined and `not` holds); the
// engine raises builtin errors, so the tests must too.
const swallowedRego = `package p

x := 1

test_x if {
	x == 1
	not to_number("x")
}
`

func writeModule(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p_test.rego"), []byte(src), 0o600))
	return dir
}

func TestBuiltinErrorsAreRaised(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	rep, err := regotest.Run(context.Background(), []string{writeModule(t, swallowedRego)}, regotest.Options{}, &out)
	require.NoError(t, err)
	assert.False(t, rep.OK(), out.String())
	assert.Equal(t, 1, rep.Errored, out.String())
	assert.Contains(t, out.String(), "to_number")
}

func TestCoverage(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, "package p\n\nx := 1\n\ny := 2\n\ntest_x if x == 1\n")
	var out strings.Builder
	rep, err := regotest.Run(context.Background(), []string{dir}, regotest.Options{}, &out)
	require.NoError(t, err)
	require.True(t, rep.OK(), out.String())
	assert.Greater(t, rep.Coverage, 0.0)
	assert.Less(t, rep.Coverage, 100.0)
	assert.NotEmpty(t, rep.Uncovered)

	rep, err = regotest.Run(context.Background(), []string{dir}, regotest.Options{NoCoverage: true}, &out)
	require.NoError(t, err)
	require.True(t, rep.OK(), out.String())
	assert.Zero(t, rep.Coverage)
	assert.Empty(t, rep.Uncovered)
}
