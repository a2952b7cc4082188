package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// The embedded library, a directory and a bundle of the same policies all
// decide alike.
func TestLoadSources(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	def, err := engine.LoadDefault()
	require.NoError(t, err)
	dir, err := engine.LoadDir("../policies")
	require.NoError(t, err)
	assert.Equal(t, def.Revision, dir.Revision, "same modules and data, same revision")

	b := bundle.Bundle{Data: def.Data, Manifest: bundle.Manifest{Revision: "r42"}}
	for name, m := range def.Modules {
		b.Modules = append(b.Modules, bundle.ModuleFile{Path: name, URL: name, Raw: []byte(m.String()), Parsed: m})
	}
	b.Modules = append(b.Modules, bundle.ModuleFile{Path: "x_test.rego", URL: "x_test.rego", Raw: []byte("package x_test\n\ntest_a if true\n"), Parsed: ast.MustParseModule("package x_test\n\ntest_a if true\n")})
	var buf bytes.Buffer
	require.NoError(t, bundle.NewWriter(&buf).Write(b))
	path := filepath.Join(t.TempDir(), "b.tar.gz")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	fromBundle, err := engine.LoadBundleFile(path)
	require.NoError(t, err)
	assert.Equal(t, "r42", fromBundle.Revision)
	assert.Len(t, fromBundle.Modules, len(def.Modules), "test modules are dropped")

	c := call("alice", "notes/a.md")
	c.Tool.Name = "fs.read_file"
	ids := 0
	for _, ps := range []engine.PolicySet{def, dir, fromBundle} {
		e, err := engine.New(ctx, ps, engine.WithIDs(func() string { ids++; return "fixed" }))
		require.NoError(t, err)
		d, err := e.Decide(ctx, c)
		require.NoError(t, err)
		assert.True(t, d.Allow)
		assert.Equal(t, "fixed", d.ID)
		assert.Equal(t, engine.DefaultWorkspace, e.Workspace())
	}
	assert.Equal(t, 3, ids)

	_, err = engine.LoadDir(filepath.Join(t.TempDir(), "missing"))
	require.ErrorIs(t, err, engine.ErrPolicy)
	_, err = engine.LoadBundleFile(filepath.Join(t.TempDir(), "missing.tar.gz"))
	require.ErrorIs(t, err, engine.ErrPolicy)
	_, err = engine.LoadDir(t.TempDir())
	require.ErrorIs(t, err, engine.ErrPolicy, "a directory without modules")
}

// Input and EvalRaw expose exactly what the policies see and decide, for
// benchmarks against plain OPA.
func TestInputAndRawEvalAgree(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy, engine.WithWorkspace("/srv/ws"))
	in, err := e.Input(call("alice", "../x"))
	require.NoError(t, err)
	facts := in.(ast.Object).Get(ast.StringTerm("facts")).Value.(ast.Object)
	path := facts.Get(ast.StringTerm("paths")).Value.(ast.Object).Get(ast.StringTerm("arguments.path"))
	require.NotNil(t, path)
	rs, err := e.EvalRaw(context.Background(), in)
	require.NoError(t, err)
	raw, err := json.Marshal(rs[0].Expressions[0].Value)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"allow":false`)
	assert.Contains(t, string(raw), "path_traversal")
}

func TestDecisionHelpers(t *testing.T) {
	t.Parallel()
	d := engine.Decision{Obligations: []string{"a", "require_approval"}, Violations: []engine.Violation{{Code: "x"}, {Code: "y"}}}
	assert.True(t, d.HasObligation("require_approval"))
	assert.False(t, d.HasObligation("b"))
	assert.Equal(t, []string{"x", "y"}, d.Codes())
}

// Go callers may build arguments with Go types; each converts or is refused.
func TestGoValuesInArguments(t *testing.T) {
	t.Parallel()
	e := newEngine(t, testPolicy)
	c := call("alice", "a")
	c.Tool.Name = "other"
	c.Tool.Arguments = map[string]any{"i": 3, "i64": int64(4), "f": 1.5, "b": true, "n": nil, "s": []string{"x"}, "a": []any{json.Number("2")}}
	_, err := e.Decide(context.Background(), c)
	require.NoError(t, err)
	for _, bad := range []any{json.Number("1e99999"), struct{}{}, []any{make(chan int)}} {
		c.Tool.Arguments = map[string]any{"x": bad}
		_, err := e.Decide(context.Background(), c)
		require.ErrorIs(t, err, engine.ErrInvalidInput, "%T", bad)
	}
}
