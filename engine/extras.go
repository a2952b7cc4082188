package engine

import (
	"context"

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
	pq, err := prepareQuery(ctx, c, store, query)
	if err != nil {
		return nil, err
	}
	return &pq, nil
}

// evalOptional evaluates q on input and returns the single result term.
func (e *Engine) evalOptional(ctx context.Context, q *rego.PreparedEvalQuery, query string, input ast.Value) (*ast.Term, error) {
	rs, err := q.Eval(ctx, append(e.evalOptions(ctx), rego.EvalParsedInput(input))...)
	return singleTerm(rs, err, query)
}
