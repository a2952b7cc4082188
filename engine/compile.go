package engine

import (
	"context"
	"fmt"
	"maps"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// DecisionQuery is the entry point every policy set must define.
const DecisionQuery = "data.toolgate.decision"

// deniedBuiltins are removed from the capabilities policies compile against:
// a decision must not depend on the network or on a DNS answer an attacker
// can influence, and must not stall a tool call on a remote server.
var deniedBuiltins = map[string]bool{
	"http.send":          true,
	"net.lookup_ip_addr": true,
}

// prepared is one compiled, ready-to-evaluate policy set. It is immutable and
// shared by concurrent decisions; a reload swaps the whole value.
type prepared struct {
	query     rego.PreparedEvalQuery
	catalog   catalog
	env       *ast.Term
	workspace string
	revision  string
	extras    extras // optional response and listing queries
}

type compileConfig struct {
	settings  map[string]any
	workspace string
	// lazyTables leaves the tables package as rules evaluated per decision,
	// as opa test does (tests compare both ways).
	lazyTables bool
}

func compileModules(mods map[string]*ast.Module) (*ast.Compiler, error) {
	c := ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(Capabilities()).
		WithUseTypeCheckAnnotations(true)
	if c.Compile(mods); c.Failed() {
		return nil, fmt.Errorf("%w: compile: %v", ErrPolicy, c.Errors)
	}
	return c, nil
}

func compile(ctx context.Context, ps PolicySet, cfg compileConfig) (*prepared, error) {
	c, store, cat, err := compileSet(ctx, ps, cfg)
	if err != nil {
		return nil, err
	}
	pq, err := prepareQuery(ctx, c, store, DecisionQuery)
	if err != nil {
		return nil, err
	}
	ex, err := prepareExtras(ctx, c, store)
	if err != nil {
		return nil, err
	}
	return &prepared{
		query:     pq,
		catalog:   cat,
		env:       environmentTerm(cfg.workspace),
		workspace: cfg.workspace,
		revision:  ps.Revision,
		extras:    ex,
	}, nil
}

// compileSet compiles ps with the settings of cfg and, unless cfg keeps them
// lazy, serves the tables package as data (tables.go). It returns what every
// query of the set is prepared on.
func compileSet(ctx context.Context, ps PolicySet, cfg compileConfig) (*ast.Compiler, storage.Store, catalog, error) {
	data, err := withSettings(ps.Data, cfg.settings)
	if err != nil {
		return nil, nil, nil, err
	}
	cat, err := loadCatalog(data)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := compileModules(ps.Modules)
	if err != nil {
		return nil, nil, nil, err
	}
	if !cfg.lazyTables {
		mods, withTables, ok, err := materializeTables(ctx, c, ps.Modules, data, environmentTerm(cfg.workspace))
		if err != nil {
			return nil, nil, nil, err
		}
		if ok {
			if c, err = compileModules(mods); err != nil {
				return nil, nil, nil, err
			}
			data = withTables
		}
	}
	return c, newStore(data), cat, nil
}

// newStore holds data as AST values, so that reads during evaluation need no
// conversion.
func newStore(data map[string]any) storage.Store {
	return inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true))
}

// prepareQuery prepares query on the compiled set the way every query of the
// engine runs: AST reads from the store and strict builtin errors (a builtin
// error fails the query instead of silently dropping a rule).
func prepareQuery(ctx context.Context, c *ast.Compiler, store storage.Store, query string) (rego.PreparedEvalQuery, error) {
	pq, err := rego.New(
		rego.Query(query),
		rego.Compiler(c),
		rego.Store(store),
		rego.StoreReadAST(true),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return pq, fmt.Errorf("%w: prepare %s: %v", ErrPolicy, query, err)
	}
	return pq, nil
}

// singleTerm returns the one result of query as a raw term (the queries run
// with rawTerm): an error, an undefined result or another shape denies.
func singleTerm(rs rego.ResultSet, err error, query string) (*ast.Term, error) {
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

// Capabilities are the builtins policies compile against: this OPA version's,
// without the ones a decision must not depend on (deniedBuiltins).
func Capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0:0]
	for _, b := range caps.Builtins {
		if !deniedBuiltins[b.Name] {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	return caps
}

// withSettings returns a copy of data whose toolgate.settings top-level keys
// are replaced by overrides. An override for a key the policy set does not
// define is an error: it is almost always a typo that would silently do
// nothing.
func withSettings(data map[string]any, overrides map[string]any) (map[string]any, error) {
	if len(overrides) == 0 {
		return data, nil
	}
	tg, _ := data["toolgate"].(map[string]any)
	settings, _ := tg["settings"].(map[string]any)
	if settings == nil {
		return nil, fmt.Errorf("%w: settings overrides given but the policies define no data.toolgate.settings", ErrPolicy)
	}
	merged := maps.Clone(settings)
	for k, v := range overrides {
		if _, ok := settings[k]; !ok {
			return nil, fmt.Errorf("%w: unknown settings key %q", ErrPolicy, k)
		}
		merged[k] = v
	}
	return withToolgateKey(data, "settings", merged), nil
}

// withToolgateKey returns a shallow copy of data with data.toolgate[key] set
// to v; data itself (shared by reloads and tests) is not changed.
func withToolgateKey(data map[string]any, key string, v any) map[string]any {
	tg, _ := data["toolgate"].(map[string]any)
	newTG := maps.Clone(tg)
	if newTG == nil {
		newTG = map[string]any{}
	}
	newTG[key] = v
	out := maps.Clone(data)
	if out == nil {
		out = map[string]any{}
	}
	out["toolgate"] = newTG
	return out
}
