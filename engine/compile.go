package engine

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/toolgate/toolgate/engine/facts"
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
	data, err := withSettings(ps.Data, cfg.settings)
	if err != nil {
		return nil, err
	}
	cat, err := loadCatalog(data)
	if err != nil {
		return nil, err
	}
	env := environmentTerm(cfg.workspace)
	c, err := compileModules(ps.Modules)
	if err != nil {
		return nil, err
	}
	if !cfg.lazyTables {
		mods, withTables, ok, err := materializeTables(ctx, c, ps.Modules, data, env)
		if err != nil {
			return nil, err
		}
		if ok {
			if c, err = compileModules(mods); err != nil {
				return nil, err
			}
			data = withTables
		}
	}
	store := inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true))
	pq, err := rego.New(
		rego.Query(DecisionQuery),
		rego.Compiler(c),
		rego.Store(store),
		rego.StoreReadAST(true),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: prepare %s: %v", ErrPolicy, DecisionQuery, err)
	}
	ex, err := prepareExtras(ctx, c, store)
	if err != nil {
		return nil, err
	}
	return &prepared{
		query:     pq,
		catalog:   cat,
		env:       env,
		workspace: cfg.workspace,
		revision:  ps.Revision,
		extras:    ex,
	}, nil
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
	merged := make(map[string]any, len(settings))
	for k, v := range settings {
		merged[k] = v
	}
	for k, v := range overrides {
		if _, ok := settings[k]; !ok {
			return nil, fmt.Errorf("%w: unknown settings key %q", ErrPolicy, k)
		}
		merged[k] = v
	}
	newTG := make(map[string]any, len(tg))
	for k, v := range tg {
		newTG[k] = v
	}
	newTG["settings"] = merged
	out := make(map[string]any, len(data))
	for k, v := range data {
		out[k] = v
	}
	out["toolgate"] = newTG
	return out, nil
}

var _ = facts.KindPath // the catalog maps arguments to fact kinds
