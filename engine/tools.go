package engine

import (
	"context"
	"sort"
)

// ToolInfo describes one tool of the catalog (data.toolgate.tools) as it is
// listed to callers.
type ToolInfo struct {
	Name        string `json:"name"`
	Class       string `json:"class,omitempty"`
	Risk        string `json:"risk,omitempty"`
	Description string `json:"description,omitempty"`
}

func toolInfo(name string, entry map[string]any) ToolInfo {
	str := func(k string) string { s, _ := entry[k].(string); return s }
	return ToolInfo{Name: name, Class: str("class"), Risk: str("risk"), Description: str("description")}
}

// authzCodes are the violation codes of package toolgate.authz: who may call
// which tool at all (docs/violation-codes.md). Every other code judges the
// arguments of one call.
var authzCodes = map[string]bool{
	"unauthenticated":    true,
	"unknown_principal":  true,
	"unknown_tool":       true,
	"role_not_permitted": true,
}

// Tools lists, in name order, the catalog tools principal may call. Each tool
// is decided once with no arguments and no argument validation, and listed
// unless that decision carries an authorization violation. Rules about
// arguments are not judged here: a listed tool can still be denied for a
// given call. A tool whose probe fails to evaluate is left out (fail closed).
func (e *Engine) Tools(ctx context.Context, principal Principal) ([]ToolInfo, error) {
	p := e.cur.Load()
	names := make([]string, 0, len(p.catalog))
	for n := range p.catalog {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []ToolInfo{}
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		call := Call{Tool: Tool{Name: n, Arguments: map[string]any{}}, Principal: principal}
		input, err := buildInput(call, p.env, nil, p.workspace)
		if err != nil {
			return nil, err
		}
		d, err := p.eval(ctx, input, keysFor(call), e.evalOptions(ctx)...)
		if err != nil || hasAuthzViolation(d) {
			continue
		}
		out = append(out, p.catalog[n].info)
	}
	return out, nil
}

func hasAuthzViolation(d Decision) bool {
	for _, v := range d.Violations {
		if authzCodes[v.Code] {
			return true
		}
	}
	return false
}
