package facts_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine/facts"
)

// Quoting a parameter must not change how it reads to a policy: every
// spelling of $HOME renders the same.
func TestShellParamsRenderCanonically(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{`rm -rf $HOME`, `rm -rf "$HOME"`, `rm -rf "${HOME}"`, `rm -rf ${HOME}`, `rm -rf "$"HOME`} {
		f := facts.ParseShell(cmd)
		require.True(t, f.OK, cmd)
		require.NotEmpty(t, f.Commands, cmd)
		args := f.Commands[0].Args
		require.Len(t, args, 2, cmd)
		if cmd == `rm -rf "$"HOME` {
			assert.Equal(t, "$HOME", args[1], "a quoted lone $ is a literal dollar")
			continue
		}
		assert.Equal(t, "${HOME}", args[1], cmd)
	}
}

func TestShellBraceExpansion(t *testing.T) {
	t.Parallel()
	f := facts.ParseShell(`{rm,-rf,/}`)
	require.True(t, f.OK)
	require.NotEmpty(t, f.Commands)
	assert.Equal(t, "rm", f.Commands[0].Name, "bash runs rm")
	assert.Equal(t, []string{"-rf", "/"}, f.Commands[0].Args)
	assert.Contains(t, f.Features, "brace_expansion")

	f = facts.ParseShell(`rm -rf /{etc,usr}`)
	assert.Equal(t, []string{"-rf", "/etc", "/usr"}, f.Commands[0].Args)

	f = facts.ParseShell(`echo {1..100}{1..100}`)
	require.True(t, f.OK)
	assert.Contains(t, f.Features, "brace_expansion", "a blow-up is still flagged")
	assert.Len(t, f.Commands[0].Args, 1, "and left unexpanded")

	f = facts.ParseShell(`echo '{a,b}' "{c,d}" x{`)
	assert.Equal(t, []string{"{a,b}", "{c,d}", "x{"}, f.Commands[0].Args, "quoted braces do not expand")
	assert.NotContains(t, f.Features, "brace_expansion")
}

func TestShellXargsFeed(t *testing.T) {
	t.Parallel()
	f := facts.ParseShell(`echo / | xargs rm -rf`)
	require.True(t, f.OK)
	var fed []string
	for _, c := range f.Commands {
		if c.Name == "rm" && len(c.Args) == 2 {
			fed = c.Args
		}
	}
	assert.Equal(t, []string{"-rf", "/"}, fed, "xargs appends its input to rm's arguments")
}
