package engine

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// TablesPackage holds the rules that depend on data and input.environment
// only (per-tool sandbox, rate-limit buckets, grants...). The engine
// evaluates it once per load and serves the result as base data, so a
// decision looks a row up instead of recomputing it; under opa test the same
// rules run per query and give the same values.
const TablesPackage = "data.toolgate.tables"

var (
	tablesRef      = ast.MustParseRef(TablesPackage)
	environmentRef = ast.MustParseRef("input.environment")
)

// materializeTables evaluates the tables package of the compiled set c and
// returns the modules without it and data with its value at
// data.toolgate.tables. ok is false when the set has no tables package.
func materializeTables(ctx context.Context, c *ast.Compiler, modules map[string]*ast.Module, data map[string]any, env *ast.Term) (map[string]*ast.Module, map[string]any, bool, error) {
	var roots []*ast.Rule
	for _, m := range c.Modules {
		if m.Package.Path.HasPrefix(tablesRef) {
			roots = append(roots, m.Rules...)
		}
	}
	if len(roots) == 0 {
		return modules, data, false, nil
	}
	if err := checkTablesInput(c, roots); err != nil {
		return nil, nil, false, err
	}
	value, err := evalTables(ctx, c, data, env)
	if err != nil {
		return nil, nil, false, err
	}
	rest := make(map[string]*ast.Module, len(modules))
	for name, m := range modules {
		if !m.Package.Path.HasPrefix(tablesRef) {
			rest[name] = m
		}
	}
	withTables, err := setTables(data, value)
	if err != nil {
		return nil, nil, false, err
	}
	return rest, withTables, true, nil
}

// checkTablesInput refuses a tables rule that reads input other than
// input.environment, directly or through a rule or function it uses: its
// value would differ per call, and a table is computed once.
func checkTablesInput(c *ast.Compiler, roots []*ast.Rule) error {
	seen := make(map[*ast.Rule]bool)
	for stack := roots; len(stack) > 0; {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[r] {
			continue
		}
		seen[r] = true
		var bad ast.Ref
		ast.WalkRefs(r, func(ref ast.Ref) bool {
			if bad == nil && ref.HasPrefix(ast.InputRootRef) && !ref.HasPrefix(environmentRef) {
				bad = ref
			}
			return bad != nil
		})
		if bad != nil {
			return fmt.Errorf("%w: %s reads %v, used by %s: its rules may read data and input.environment only",
				ErrPolicy, r.Location, bad, TablesPackage)
		}
		for dep := range c.Graph.Dependencies(r) {
			if dr, ok := dep.(*ast.Rule); ok {
				stack = append(stack, dr)
			}
		}
	}
	return nil
}

func evalTables(ctx context.Context, c *ast.Compiler, data map[string]any, env *ast.Term) (ast.Value, error) {
	pq, err := prepareQuery(ctx, c, newStore(data), TablesPackage)
	if err != nil {
		return nil, err
	}
	input := ast.NewObject(ast.Item(ast.InternedTerm("environment"), env))
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalGenerateJSON(rawTerm))
	t, err := singleTerm(rs, err, TablesPackage)
	if err != nil {
		return nil, err
	}
	// Base data is JSON: a set would come back as an array and a lookup in
	// it would silently fail, so it is refused at load.
	var set *ast.Term
	ast.WalkTerms(t, func(x *ast.Term) bool {
		if _, isSet := x.Value.(ast.Set); isSet && set == nil {
			set = x
		}
		return set != nil
	})
	if set != nil {
		return nil, fmt.Errorf("%w: %s holds a set (%v): tables must be JSON, use an object of true", ErrPolicy, TablesPackage, set)
	}
	return t.Value, nil
}

// setTables returns a copy of data with the tables at data.toolgate.tables.
func setTables(data map[string]any, value ast.Value) (map[string]any, error) {
	v, err := ast.JSON(value)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrPolicy, TablesPackage, err)
	}
	tg, _ := data["toolgate"].(map[string]any)
	if _, clash := tg["tables"]; clash {
		return nil, fmt.Errorf("%w: data.toolgate.tables is both data and the %s package", ErrPolicy, TablesPackage)
	}
	return withToolgateKey(data, "tables", v), nil
}
