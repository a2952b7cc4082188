package engine

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// ListingQuery is the optional rule that says which tools of a server's
// tools/list a principal is shown: a set (or array) of tool names.
const ListingQuery = "data.toolgate.listing.visible"

// ListedTool is one tool a server offers, as the listing rule sees it.
type ListedTool struct {
	Name        string
	Annotations map[string]any
}

// HasListingPolicy reports whether the active policy set defines
// data.toolgate.listing.visible. Without it VisibleTools shows every tool.
func (e *Engine) HasListingPolicy() bool { return e.cur.Load().extras.listing != nil }

// VisibleTools returns the names of tools the principal may be shown. A tool
// it leaves out is one the principal may never call; calls to a shown tool
// are still decided one by one.
func (e *Engine) VisibleTools(ctx context.Context, principal Principal, server string, tools []ListedTool) (map[string]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := e.cur.Load()
	if p.extras.listing == nil {
		all := make(map[string]bool, len(tools))
		for _, t := range tools {
			all[t.Name] = true
		}
		return all, nil
	}
	input, err := listingInput(principal, server, tools, p.env)
	if err != nil {
		return nil, err
	}
	t, err := e.evalOptional(ctx, p.extras.listing, ListingQuery, input)
	if err != nil {
		return nil, err
	}
	return decodeNames(t)
}

func listingInput(principal Principal, server string, tools []ListedTool, env *ast.Term) (ast.Value, error) {
	terms := make([]*ast.Term, len(tools))
	for i, t := range tools {
		ann, err := toTerm(t.Annotations)
		if err != nil {
			return nil, fmt.Errorf("%w: tool %q annotations: %v", ErrInvalidInput, t.Name, err)
		}
		terms[i] = ast.ObjectTerm(
			ast.Item(ast.InternedTerm("name"), ast.StringTerm(t.Name)),
			ast.Item(ast.InternedTerm("annotations"), ann),
		)
	}
	return ast.NewObject(
		ast.Item(ast.InternedTerm(keyPrincipal), principalTerm(principal)),
		ast.Item(ast.InternedTerm("server"), ast.StringTerm(server)),
		ast.Item(ast.InternedTerm("tools"), ast.ArrayTerm(terms...)),
		ast.Item(ast.InternedTerm(keyEnvironment), env),
	), nil
}

func decodeNames(t *ast.Term) (map[string]bool, error) {
	out := map[string]bool{}
	add := func(e *ast.Term) error {
		s, ok := e.Value.(ast.String)
		if !ok {
			return contractError("%s must hold tool names (strings)", ListingQuery)
		}
		out[string(s)] = true
		return nil
	}
	var err error
	switch v := t.Value.(type) {
	case ast.Set:
		err = v.Iter(add)
	case *ast.Array:
		err = v.Iter(add)
	default:
		err = contractError("%s must be a set or an array of tool names", ListingQuery)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
