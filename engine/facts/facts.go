// Package facts turns tool-call arguments into input.facts: what real parsers
// (net/url, net/netip, mvdan.cc/sh, a SQL tokenizer, net/mail) make of the
// arguments the tool catalog marks, so that Rego policies match on parsed
// structure instead of regexes over raw text.
//
// The contract is docs/input-and-decision.md, section "Facts". Every builder
// is total: it never panics, bounds its work, and reports text it cannot
// understand as a fact with "ok": false, which the policies deny.
package facts

import (
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Kind is the fact kind the tool catalog assigns to an argument
// (data.toolgate.tools[name].facts).
type Kind string

// The fact kinds of the catalog.
const (
	KindPath  Kind = "path"
	KindURL   Kind = "url"
	KindShell Kind = "shell"
	KindSQL   Kind = "sql"
	KindEmail Kind = "email"
)

// argumentsRoot is the root of every field path: facts and violations name
// an argument as arguments.<name>.
const argumentsRoot = "arguments"

// Build returns the input.facts object for a call's arguments. marks maps a
// top-level argument name to its fact kind; workspace is the site's
// workspace directory (environment.workspace). A marked argument that is
// absent gets no fact; one of the wrong JSON type gets {"ok": false}. A mark
// with an unknown kind gets no fact either, so a policy that expects one
// sees it missing and denies. Secrets are scanned in every argument.
func Build(workspace string, marks map[string]Kind, args map[string]any) *ast.Term {
	groups := [...]ast.Object{
		ast.NewObject(), ast.NewObject(), ast.NewObject(), ast.NewObject(), ast.NewObject(),
	}
	for name, kind := range marks {
		v, present := args[name]
		if !present {
			continue
		}
		g := groupIndex(kind)
		if g < 0 {
			continue
		}
		field := fieldPath(argumentsRoot, name)
		if list, ok := v.([]any); ok && kind != KindEmail {
			// A list of paths (read_multiple_files, git_add) gets one fact
			// per element, keyed arguments.<name>[<i>], so each element is
			// judged on its own.
			for i, elem := range list {
				groups[g].Insert(ast.StringTerm(field+"["+strconv.Itoa(i)+"]"), buildOne(workspace, kind, elem))
			}
			continue
		}
		groups[g].Insert(ast.StringTerm(field), buildOne(workspace, kind, v))
	}
	return ast.ObjectTerm(
		ast.Item(keyPaths, ast.NewTerm(groups[0])),
		ast.Item(keyURLs, ast.NewTerm(groups[1])),
		ast.Item(keyShell, ast.NewTerm(groups[2])),
		ast.Item(keySQL, ast.NewTerm(groups[3])),
		ast.Item(keyEmails, ast.NewTerm(groups[4])),
		ast.Item(keySecrets, secretsTerm(ScanSecrets(args))),
	)
}

// groupIndex orders the per-kind groups of Build; -1 for an unknown kind.
func groupIndex(k Kind) int {
	switch k {
	case KindPath:
		return 0
	case KindURL:
		return 1
	case KindShell:
		return 2
	case KindSQL:
		return 3
	case KindEmail:
		return 4
	}
	return -1
}

// buildOne builds the fact of one marked argument value.
func buildOne(workspace string, kind Kind, v any) *ast.Term {
	if kind == KindEmail {
		return ParseEmails(v).Term()
	}
	s, ok := v.(string)
	if !ok {
		return failTerm(errNotString)
	}
	switch kind {
	case KindPath:
		return ParsePath(workspace, s).Term()
	case KindURL:
		return ParseURL(s).Term()
	case KindShell:
		return ParseShell(s).Term()
	default:
		return ParseSQL(s).Term()
	}
}

// errNotString is the error of a fact whose argument is not a JSON string.
const errNotString = "argument is not a string"
