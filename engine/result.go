package engine

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// contractError reports a decision that does not have the documented shape.
// It wraps ErrPolicy: a malformed decision denies.
func contractError(format string, args ...any) error {
	return fmt.Errorf("%w: decision contract: %s", ErrPolicy, fmt.Sprintf(format, args...))
}

// decodeDecision reads the raw result term into a Decision, checking every
// field of the contract. Unknown extra keys are ignored so policies can carry
// annotations for other consumers.
//
// keys names the buckets a policy gives by scope (see keys.go).
func decodeDecision(t *ast.Term, keys bucketKeys) (Decision, error) {
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return Decision{}, contractError("decision is not an object")
	}
	r := objReader{obj: obj}
	var d Decision
	d.Allow = r.boolean("allow")
	d.Violations = r.violations("violations")
	d.Sandbox = r.sandbox("sandbox")
	d.RateLimits = r.rateLimits("rate_limits", keys)
	d.Audit = r.auditSpec("audit")
	d.Obligations = r.strings("obligations")
	d.Concurrency = r.concurrency("concurrency", keys)
	if r.err != nil {
		return Decision{}, r.err
	}
	if d.Allow && len(d.Violations) > 0 {
		return Decision{}, contractError("allow is true with %d violations", len(d.Violations))
	}
	return d, nil
}

// objReader reads typed fields from an OPA object, remembering the first
// error so the decoder reads as a list of fields.
type objReader struct {
	obj  ast.Object
	path string
	err  error
}

func (r *objReader) fail(key, format string, args ...any) {
	if r.err == nil {
		r.err = contractError("%s%s: %s", r.path, key, fmt.Sprintf(format, args...))
	}
}

func (r *objReader) get(key string) ast.Value {
	t := r.obj.Get(ast.InternedTerm(key))
	if t == nil {
		r.fail(key, "missing")
		return nil
	}
	return t.Value
}

func (r *objReader) boolean(key string) bool {
	v := r.get(key)
	b, ok := v.(ast.Boolean)
	if !ok && v != nil {
		r.fail(key, "must be a boolean")
	}
	return bool(b)
}

func (r *objReader) str(key string, optional bool) string {
	t := r.obj.Get(ast.InternedTerm(key))
	if t == nil {
		if !optional {
			r.fail(key, "missing")
		}
		return ""
	}
	s, ok := t.Value.(ast.String)
	if !ok {
		r.fail(key, "must be a string")
	}
	return string(s)
}

func (r *objReader) integer(key string, optional bool) int64 {
	t := r.obj.Get(ast.InternedTerm(key))
	if t == nil {
		if !optional {
			r.fail(key, "missing")
		}
		return 0
	}
	n, ok := t.Value.(ast.Number)
	if !ok {
		r.fail(key, "must be a number")
		return 0
	}
	i, ok := n.Int64()
	if !ok || i < 0 {
		r.fail(key, "must be a non-negative integer")
	}
	return i
}

func (r *objReader) array(key string) *ast.Array {
	v := r.get(key)
	a, ok := v.(*ast.Array)
	if !ok && v != nil {
		if _, isSet := v.(ast.Set); isSet {
			r.fail(key, "must be an array, not a set (use an array comprehension or sort)")
		} else {
			r.fail(key, "must be an array")
		}
	}
	return a
}

func (r *objReader) object(key string) objReader {
	v := r.get(key)
	o, ok := v.(ast.Object)
	if !ok && v != nil {
		r.fail(key, "must be an object")
	}
	if o == nil {
		o = ast.NewObject()
	}
	return objReader{obj: o, path: r.path + key + "."}
}

func (r *objReader) strings(key string) []string {
	a := r.array(key)
	if a == nil {
		return nil
	}
	out := make([]string, 0, a.Len())
	a.Foreach(func(t *ast.Term) {
		s, ok := t.Value.(ast.String)
		if !ok {
			r.fail(key, "must hold strings only")
		}
		out = append(out, string(s))
	})
	return out
}

// each calls f with a reader for every object element of the array at key.
func (r *objReader) each(key string, f func(objReader)) {
	a := r.array(key)
	if a == nil {
		return
	}
	for i := 0; i < a.Len(); i++ {
		o, ok := a.Elem(i).Value.(ast.Object)
		if !ok {
			r.fail(key, "element %d must be an object", i)
			return
		}
		f(objReader{obj: o, path: fmt.Sprintf("%s%s[%d].", r.path, key, i)})
	}
}

// keep copies the first error of a nested reader into r.
func (r *objReader) keep(sub objReader) {
	if r.err == nil {
		r.err = sub.err
	}
}
