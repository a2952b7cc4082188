package engine

import (
	"context"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/toolgate/toolgate/engine/facts"
)

// ResponseQuery is the optional entry point that judges what a tool returned
// before the agent sees it.
const ResponseQuery = "data.toolgate.response.decision"

// Response actions.
const (
	ResponseAllow  = "allow"  // pass the response unchanged
	ResponseRedact = "redact" // replace the secrets the policy named
	ResponseBlock  = "block"  // withhold the whole response
)

// ToolResponse is what a tool returned, as the response policy sees it.
// Parts are the strings of the response (content text, structured values):
// they are scanned for secrets, which the policy may have redacted.
type ToolResponse struct {
	Call    Call
	Parts   []string
	Bytes   int64
	IsError bool
}

// ResponseDecision is the verdict on a response. Its zero value blocks.
type ResponseDecision struct {
	Action     string
	Violations []Violation
	// Parts are the response parts after redaction; equal to the input
	// parts unless Action is redact.
	Parts []string
	// Redacted counts the secret spans that were replaced.
	Redacted int
}

// secretRef is one secret found in one response part.
type secretRef struct {
	part int
	facts.SecretMatch
}

// HasResponsePolicy reports whether the active policy set defines
// data.toolgate.response.decision. Without it CheckResponse allows every
// response.
func (e *Engine) HasResponsePolicy() bool { return e.cur.Load().extras.response != nil }

// CheckResponse scans r for secrets and evaluates the response policy. An
// error means the response could not be judged; callers withhold it.
func (e *Engine) CheckResponse(ctx context.Context, r ToolResponse) (ResponseDecision, error) {
	if err := ctx.Err(); err != nil {
		return ResponseDecision{}, err
	}
	p := e.cur.Load()
	if p.extras.response == nil {
		return ResponseDecision{Action: ResponseAllow, Parts: r.Parts}, nil
	}
	var found []secretRef
	for i, s := range r.Parts {
		for _, m := range facts.FindSecrets(s) {
			found = append(found, secretRef{part: i, SecretMatch: m})
		}
	}
	t, err := e.evalOptional(ctx, p.extras.response, ResponseQuery, responseInput(r, found))
	if err != nil {
		return ResponseDecision{}, err
	}
	d, picked, err := decodeResponse(t, len(found))
	if err != nil {
		return ResponseDecision{}, err
	}
	d.Parts = r.Parts
	if d.Action == ResponseRedact {
		d.Parts, d.Redacted = redactParts(r.Parts, found, picked)
	}
	return d, nil
}

func responseInput(r ToolResponse, found []secretRef) ast.Value {
	secrets := make([]*ast.Term, len(found))
	for i, s := range found {
		secrets[i] = ast.ObjectTerm(
			ast.Item(ast.InternedTerm("part"), ast.IntNumberTerm(s.part)),
			ast.Item(ast.InternedTerm("kind"), ast.StringTerm(s.Kind)),
			ast.Item(ast.InternedTerm("start"), ast.IntNumberTerm(s.Start)),
			ast.Item(ast.InternedTerm("end"), ast.IntNumberTerm(s.End)),
		)
	}
	tool := ast.ObjectTerm(
		ast.Item(ast.InternedTerm("name"), ast.StringTerm(r.Call.Tool.Name)),
		ast.Item(ast.InternedTerm("server"), ast.StringTerm(r.Call.Tool.Server)),
	)
	resp := ast.ObjectTerm(
		ast.Item(ast.InternedTerm("bytes"), ast.IntNumberTerm(int(r.Bytes))),
		ast.Item(ast.InternedTerm("is_error"), ast.InternedTerm(r.IsError)),
		ast.Item(ast.InternedTerm("parts"), ast.IntNumberTerm(len(r.Parts))),
		ast.Item(ast.InternedTerm("secrets"), ast.ArrayTerm(secrets...)),
	)
	return ast.NewObject(
		ast.Item(ast.InternedTerm(keyTool), tool),
		ast.Item(ast.InternedTerm(keyPrincipal), principalTerm(r.Call.Principal)),
		ast.Item(ast.InternedTerm("response"), resp),
	)
}

// decodeResponse reads {"action", "violations", "redact"} and returns the
// indices of the secrets to redact.
func decodeResponse(t *ast.Term, nSecrets int) (ResponseDecision, []int, error) {
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return ResponseDecision{}, nil, contractError("response decision is not an object")
	}
	r := objReader{obj: obj, path: "response."}
	d := ResponseDecision{Action: r.str("action", false), Violations: r.violations("violations")}
	picked := r.indices("redact", nSecrets)
	if r.err != nil {
		return ResponseDecision{}, nil, r.err
	}
	switch {
	case d.Action != ResponseAllow && d.Action != ResponseRedact && d.Action != ResponseBlock:
		return ResponseDecision{}, nil, contractError("response.action %q: want allow, redact or block", d.Action)
	case d.Action == ResponseBlock && len(d.Violations) == 0:
		return ResponseDecision{}, nil, contractError("response.action block without violations")
	case d.Action == ResponseAllow && len(picked) > 0:
		return ResponseDecision{}, nil, contractError("response.action allow with secrets to redact")
	}
	return d, picked, nil
}

// indices reads an array of integers, each in [0, n).
func (r *objReader) indices(key string, n int) []int {
	a := r.array(key)
	if a == nil {
		return nil
	}
	out := make([]int, 0, a.Len())
	a.Foreach(func(t *ast.Term) {
		num, ok := t.Value.(ast.Number)
		i, isInt := num.Int()
		if !ok || !isInt || i < 0 || i >= n {
			r.fail(key, "must hold indices of input.response.secrets")
			return
		}
		out = append(out, i)
	})
	return out
}
