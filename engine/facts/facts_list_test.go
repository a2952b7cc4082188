package facts_test

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine/facts"
)

// Each element of a list argument is judged on its own: one traversal among
// benign paths must not hide behind them.
func TestBuildListArgumentGetsOneFactPerElement(t *testing.T) {
	t.Parallel()
	args := map[string]any{"paths": []any{"notes/a.md", "../../etc/passwd", 7}}
	term := facts.Build("/srv/work", map[string]facts.Kind{"paths": facts.KindPath}, args)
	paths := term.Value.(ast.Object).Get(ast.StringTerm("paths")).Value.(ast.Object)
	require.Equal(t, 3, paths.Len())
	inside := func(key string) ast.Value {
		return paths.Get(ast.StringTerm(key)).Value.(ast.Object).Get(ast.StringTerm("inside_workspace")).Value
	}
	assert.Equal(t, ast.Boolean(true), inside("arguments.paths[0]"))
	assert.Equal(t, ast.Boolean(false), inside("arguments.paths[1]"))
	notString := paths.Get(ast.StringTerm("arguments.paths[2]")).Value.(ast.Object)
	assert.Equal(t, ast.Boolean(false), notString.Get(ast.StringTerm("ok")).Value)
}
