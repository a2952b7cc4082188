package engine

import (
	"context"
	"os"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
)

// floorQueries are steps of growing size on the default library, evaluated
// on the allowed read of examples/calls/01: what OPA's evaluator costs per
// query, per document read and per rule bounds how fast a decision of a
// given size can be (docs/performance.md, "The floor").
var floorQueries = []struct{ name, query string }{
	{"query-input-only", "input.tool.name"},
	{"data-read", "data.toolgate.tools[input.tool.name]"},
	{"rule-two-expressions", "data.toolgate.lib.tool"},
	{"rule-fact-kinds", "data.toolgate.lib.kinds"},
	{"package-authz", "data.toolgate.authz.violations"},
	{"package-fs", "data.toolgate.fs.violations"},
	{"decision", DecisionQuery},
}

// BenchmarkOPAFloor prepares each query on the compiled default set exactly
// as the decision query is prepared (tables served as data, AST store
// reads, strict builtin errors) and evaluates it with the engine's options.
func BenchmarkOPAFloor(b *testing.B) {
	ctx := context.Background()
	ps, err := LoadDefault()
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(ctx, ps)
	if err != nil {
		b.Fatal(err)
	}
	c, store, _, err := compileSet(ctx, ps, e.cfg)
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile("../examples/calls/01-dev-read-notes.json")
	if err != nil {
		b.Fatal(err)
	}
	call, err := ParseCall(data, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	input, err := e.Input(call)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range floorQueries {
		pq, err := prepareQuery(ctx, c, store, q.query)
		if err != nil {
			b.Fatal(err)
		}
		opts := append(e.evalOptions(ctx), rego.EvalParsedInput(input))
		rs, err := pq.Eval(ctx, opts...)
		if _, err := singleTerm(rs, err, q.query); err != nil {
			b.Fatalf("%s on the fixture: %v", q.query, err)
		}
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_, _ = pq.Eval(ctx, opts...)
			}
		})
	}
}
