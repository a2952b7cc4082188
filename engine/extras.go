package engine

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
)

// extras are the optional entry points beside the decision: the response
// policy and the tools/list rule. A nil query means the policy set does not
// define that package.
type extras struct {
	response *rego.PreparedEvalQuery
	listing  *rego.PreparedEvalQuery
}

// prepareExtras prepares the optional queries a policy set defines, on the
// compiler and store of the decision query.
func prepareExtras(ctx context.Context, c *ast.Compiler, store storage.Store) (extras, error) {
	var ex extras
	var err error
	if ex.response, err = prepareOptional(ctx, c, store, ResponseQuery); err != nil {
		return ex, err
	}
	if ex.listing, err = prepareOptional(ctx, c, store, ListingQuery); err != nil {
		return ex, err
	}
	return ex, nil
}

func prepareOptional(ctx context.Context, c *ast.Compiler, store storage.Store, query string) (*rego.PreparedEvalQuery, error) {
	ref := ast.MustParseRef(query)
	if len(c.GetRules(ref)) == 0 {
		return nil, nil
	}
	pq, err := rego.New(
		rego.Query(query),
		rego.Compiler(c),
		rego.Store(store),
		rego.StoreReadAST(true),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: prepare %s: %v", ErrPolicy, query, err)
	}
	return &pq, nil
}

// evalOptional evaluates q on input and returns the single result term.
func (e *Engine) evalOptional(ctx context.Context, q *rego.PreparedEvalQuery, query string, input ast.Value) (*ast.Term, error) {
	opts := append(e.evalOptions(ctx), rego.EvalParsedInput(input))
	rs, err := q.Eval(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: evaluate %s: %v", ErrPolicy, query, err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("%w: %s is undefined", ErrPolicy, query)
	}
	t, ok := rs[0].Expressions[0].Value.(*ast.Term)
	if !ok {
		return nil, contractError("%s result is %T, not a term", query, rs[0].Expressions[0].Value)
	}
	return t, nil
}
