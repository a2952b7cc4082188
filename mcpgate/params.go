package mcpgate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/toolgate/toolgate/engine"
)

// callParams is a tools/call request as the gate checks and forwards it.
// What goes to the server is re-encoded from exactly what the policies saw,
// so a duplicate or case-variant key cannot mean one thing to toolgate and
// another to the server.
type callParams struct {
	name string
	args map[string]any
	rest map[string]json.RawMessage // _meta and any other field, as sent
}

// Parameter keys of tools/call.
const (
	keyName      = "name"
	keyArguments = "arguments"
)

// parseCallParams reads tools/call params. The arguments are decoded by
// engine.DecodeArguments within lim: duplicate keys, keys that differ only in
// case, excess nesting and trailing data are refused.
func parseCallParams(raw json.RawMessage, lim engine.Limits) (callParams, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return callParams{}, errors.New("tools/call params must be an object")
	}
	p := callParams{rest: map[string]json.RawMessage{}}
	for k, v := range fields {
		var err error
		switch {
		case k == keyName:
			err = json.Unmarshal(v, &p.name)
		case k == keyArguments:
			p.args, err = engine.DecodeArguments(v, lim)
		case strings.EqualFold(k, keyName) || strings.EqualFold(k, keyArguments):
			err = fmt.Errorf("key %q differs from a tools/call key only in case", k)
		default:
			p.rest[k] = v
		}
		if err != nil {
			return callParams{}, fmt.Errorf("tools/call params: %w", err)
		}
	}
	if p.name == "" {
		return callParams{}, errors.New("tools/call params: name is required")
	}
	return p, nil
}

// encode returns the params to forward.
func (p callParams) encode() (json.RawMessage, error) {
	out := make(map[string]any, len(p.rest)+2)
	for k, v := range p.rest {
		out[k] = v
	}
	out[keyName] = p.name
	if p.args != nil {
		out[keyArguments] = p.args
	}
	return json.Marshal(out)
}
