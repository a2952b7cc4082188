package engine_test

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// extrasPolicy adds a response rule that redacts every secret, unless the
// tool is "strict", which blocks; listingModule shows the tools whose name
// starts with the principal's first role.
const extrasPolicy = testPolicy + `
response_decision := {"action": "block", "violations": [{"code": "c", "severity": "high", "message": "m"}], "redact": []} if {
	input.tool.name == "strict"
	count(input.response.secrets) > 0
}

response_decision := {"action": action, "violations": [], "redact": [i | some i, _ in input.response.secrets]} if {
	input.tool.name != "strict"
	action := {true: "redact", false: "allow"}[count(input.response.secrets) > 0]
}

response_decision := {"action": "allow", "violations": [], "redact": []} if {
	input.tool.name == "strict"
	count(input.response.secrets) == 0
}
`

const responseModule = `package toolgate.response

decision := data.toolgate.response_decision
`

const listingModule = `package toolgate.listing

visible contains t.name if {
	some t in input.tools
	startswith(t.name, input.principal.roles[0])
}
`

func extrasEngine(t *testing.T, modules ...string) *engine.Engine {
	t.Helper()
	ps := policySet(t, extrasPolicy)
	for i, m := range modules {
		ps = withModule(t, ps, i, m)
	}
	e, err := engine.New(context.Background(), ps)
	require.NoError(t, err)
	return e
}

func TestWithoutResponseOrListingPolicy(t *testing.T) {
	t.Parallel()
	e := extrasEngine(t)
	assert.False(t, e.HasResponsePolicy())
	assert.False(t, e.HasListingPolicy())
	d, err := e.CheckResponse(context.Background(), engine.ToolResponse{Parts: []string{"AKIAIOSFODNN7EXAMPLE"}})
	require.NoError(t, err)
	assert.Equal(t, engine.ResponseAllow, d.Action)
	v, err := e.VisibleTools(context.Background(), engine.Principal{ID: "a"}, "s", []engine.ListedTool{{Name: "x"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"x": true}, v)
}

func TestCheckResponseRedactsOverlappingSecrets(t *testing.T) {
	t.Parallel()
	e := extrasEngine(t, responseModule)
	require.True(t, e.HasResponsePolicy())
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	parts := []string{"ok", "id AKIAIOSFODNN7EXAMPLE and token=" + jwt + " end"}
	d, err := e.CheckResponse(context.Background(), engine.ToolResponse{Call: call("alice", "a"), Parts: parts, Bytes: 99})
	require.NoError(t, err)
	assert.Equal(t, engine.ResponseRedact, d.Action)
	assert.Equal(t, "ok", d.Parts[0])
	assert.NotContains(t, d.Parts[1], "AKIA")
	assert.NotContains(t, d.Parts[1], "eyJ")
	assert.Contains(t, d.Parts[1], "[REDACTED:aws_access_key]")
	assert.True(t, len(d.Parts[1]) < len(parts[1]))
	assert.Equal(t, "id AKIAIOSFODNN7EXAMPLE and token="+jwt+" end", parts[1], "the input is not modified")
	assert.GreaterOrEqual(t, d.Redacted, 2)
}

func TestCheckResponseBlocks(t *testing.T) {
	t.Parallel()
	e := extrasEngine(t, responseModule)
	c := call("alice", "a")
	c.Tool.Name = "strict"
	d, err := e.CheckResponse(context.Background(), engine.ToolResponse{Call: c, Parts: []string{"AKIAIOSFODNN7EXAMPLE"}})
	require.NoError(t, err)
	assert.Equal(t, engine.ResponseBlock, d.Action)
	assert.Equal(t, "c", d.Violations[0].Code)
}

func TestResponseContractErrors(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"unknown action":           `decision := {"action": "maybe", "violations": [], "redact": []}`,
		"block without violations": `decision := {"action": "block", "violations": [], "redact": []}`,
		"allow with redactions":    `decision := {"action": "allow", "violations": [], "redact": [0]}`,
		"index out of range":       `decision := {"action": "redact", "violations": [], "redact": [7]}`,
		"not an object":            `decision := "allow"`,
	} {
		e := extrasEngine(t, "package toolgate.response\n\n"+body+"\n")
		_, err := e.CheckResponse(context.Background(), engine.ToolResponse{Parts: []string{"AKIAIOSFODNN7EXAMPLE"}})
		require.ErrorIs(t, err, engine.ErrPolicy, name)
	}
}

func TestVisibleTools(t *testing.T) {
	t.Parallel()
	e := extrasEngine(t, listingModule)
	require.True(t, e.HasListingPolicy())
	v, err := e.VisibleTools(context.Background(), engine.Principal{ID: "a", Roles: []string{"git"}}, "s",
		[]engine.ListedTool{{Name: "git_log", Annotations: map[string]any{"readOnlyHint": true}}, {Name: "rm"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"git_log": true}, v)

	bad := extrasEngine(t, "package toolgate.listing\n\nvisible := [1]\n")
	_, err = bad.VisibleTools(context.Background(), engine.Principal{ID: "a"}, "s", nil)
	require.ErrorIs(t, err, engine.ErrPolicy)
}

func withModule(t *testing.T, ps engine.PolicySet, i int, text string) engine.PolicySet {
	t.Helper()
	name := fmt.Sprintf("extra%d.rego", i)
	m, err := ast.ParseModuleWithOpts(name, text, ast.ParserOptions{RegoVersion: ast.RegoV1})
	require.NoError(t, err)
	mods := maps.Clone(ps.Modules)
	mods[name] = m
	ps.Modules = mods
	return ps
}
