package audit

import (
	"slices"
	"strconv"
	"time"

	"github.com/toolgate/toolgate/audit/internal/redact"
	"github.com/toolgate/toolgate/engine"
)

// Pointer prefixes of the parts of an event that redaction touches.
const (
	inputPointer       = "/input"
	violationsPointer  = "/result/violations/"
	rateLimitsPointer  = "/result/rate_limits/"
	concurrencyPointer = "/result/concurrency/"
	errorPointer       = "/error/message"
)

// decisionRecord builds the redacted body of a decision event. It never
// modifies ev: the call is deep-copied before redaction.
func (l *Logger) decisionRecord(ev DecisionEvent) (*decisionRecord, error) {
	id, err := l.eventID()
	if err != nil {
		return nil, err
	}
	var rep redact.Report
	input, err := callTree(ev.Call)
	if err != nil {
		return nil, err
	}
	l.red.Paths(input, ev.Decision.Audit.Redact, inputPointer, &rep)
	l.scanInput(input, &rep)
	rec := &decisionRecord{
		EventID:    id,
		DecisionID: ev.DecisionID,
		Timestamp:  l.stamp(ev.Timestamp),
		Path:       DecisionPath,
		Labels:     l.o.labels,
		Input:      input,
		Result:     l.result(ev.Decision, &rep),
		Error:      l.errorInfo(ev.Err, &rep),
		Limiter:    ev.Limiter,
	}
	if rec.DecisionID == "" {
		rec.DecisionID = ev.Decision.ID
	}
	if ev.Decision.Revision != "" {
		rec.Bundles = &bundles{Toolgate: revision{Revision: ev.Decision.Revision}}
	}
	if ev.Latency > 0 {
		rec.Metrics = &metrics{DecisionNS: ev.Latency.Nanoseconds()}
	}
	l.red.Finish(&rep)
	rec.Erased, rec.Masked = rep.Erased, rep.Masked
	return rec, nil
}

// scanInput runs the detector pass over the input document. Caller-chosen
// trees (arguments, annotations) are scanned whole, keys included; of the
// fixed structure callTree built, only the values are: its member names are
// ours and hold no secret.
func (l *Logger) scanInput(input map[string]any, rep *redact.Report) {
	for part, v := range input {
		obj, ok := v.(map[string]any)
		if !ok {
			continue
		}
		for k, fv := range obj {
			if s, ok := fv.(string); ok {
				if out, changed := l.red.String(s); changed {
					obj[k] = out
					l.red.Mark(rep, inputPointer+"/"+part+"/"+k)
				}
				continue
			}
			// arguments, annotations, roles
			l.red.Scan(fv, inputPointer+"/"+part+"/"+k, rep)
		}
	}
}

// result copies d with its violation texts and bucket keys redacted: a
// policy message may quote an argument. The caller's slices are not
// modified; a slice with nothing to redact is shared, not copied.
func (l *Logger) result(d engine.Decision, rep *redact.Report) *engine.Decision {
	d.Violations = redactFields(l, d.Violations, violationsPointer, rep, violationFields)
	// Bucket keys are built from the principal, tenant, session and tool
	// names, which the input pass redacts: a key must not carry them back.
	d.RateLimits = redactFields(l, d.RateLimits, rateLimitsPointer, rep, rateLimitFields)
	d.Concurrency = redactFields(l, d.Concurrency, concurrencyPointer, rep, concurrencyFields)
	return &d
}

// textField is one redacted string field of a decision's list item: its
// pointer suffix and where it is in the item.
type textField[T any] struct {
	suffix string
	at     func(*T) *string
}

var (
	violationFields = []textField[engine.Violation]{
		{"/message", func(v *engine.Violation) *string { return &v.Message }},
		{"/field", func(v *engine.Violation) *string { return &v.Field }},
	}
	rateLimitFields   = []textField[engine.RateLimit]{{"/key", func(r *engine.RateLimit) *string { return &r.Key }}}
	concurrencyFields = []textField[engine.ConcurrencyLimit]{{"/key", func(c *engine.ConcurrencyLimit) *string { return &c.Key }}}
)

// redactFields returns items with fields redacted, recording each change at
// prefix+index+suffix. items is copied on the first change, never written.
func redactFields[T any](l *Logger, items []T, prefix string, rep *redact.Report, fields []textField[T]) []T {
	out := items
	copied := false
	for i := range items {
		for _, f := range fields {
			red, changed := l.red.String(*f.at(&items[i]))
			if !changed {
				continue
			}
			l.red.Mark(rep, prefix+strconv.Itoa(i)+f.suffix)
			if !copied {
				out, copied = slices.Clone(items), true
			}
			*f.at(&out[i]) = red
		}
	}
	return out
}

// errorInfo copies e with its message redacted: errors often echo input.
func (l *Logger) errorInfo(e *ErrorInfo, rep *redact.Report) *ErrorInfo {
	if e == nil {
		return nil
	}
	return &ErrorInfo{Code: e.Code, Message: l.red.Text(e.Message, errorPointer, rep)}
}

func (l *Logger) outcomeRecord(ev OutcomeEvent) (*outcomeRecord, error) {
	id, err := l.eventID()
	if err != nil {
		return nil, err
	}
	var rep redact.Report
	rec := &outcomeRecord{
		EventID:     id,
		DecisionID:  ev.DecisionID,
		Timestamp:   l.stamp(ev.Timestamp),
		Labels:      l.o.labels,
		Tool:        ev.Tool,
		Principal:   ev.Principal,
		DurationNS:  ev.Duration.Nanoseconds(),
		ExitCode:    ev.ExitCode,
		OutputBytes: ev.OutputBytes,
		Truncated:   ev.Truncated,
		Killed:      ev.Killed,
		Layers:      ev.Layers,
		Error:       l.errorInfo(ev.Err, &rep),
	}
	l.red.Finish(&rep)
	rec.Erased, rec.Masked = rep.Erased, rep.Masked
	return rec, nil
}

// stamp formats t, or the clock's now when t is zero, as OPA does: UTC,
// RFC 3339 with nanoseconds.
func (l *Logger) stamp(t time.Time) string {
	if t.IsZero() {
		t = l.o.now()
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// callTree deep-copies a call into the generic tree that becomes "input".
// Member names and omissions follow engine.Call's JSON form.
func callTree(c engine.Call) (map[string]any, error) {
	args, err := redact.CopyMap(c.Tool.Arguments)
	if err != nil {
		return nil, err
	}
	tool := map[string]any{"name": c.Tool.Name, "arguments": args}
	if args == nil {
		tool["arguments"] = nil
	}
	if c.Tool.Server != "" {
		tool["server"] = c.Tool.Server
	}
	if c.Tool.Annotations != nil {
		ann, err := redact.CopyMap(c.Tool.Annotations)
		if err != nil {
			return nil, err
		}
		tool["annotations"] = ann
	}
	in := map[string]any{"tool": tool, "principal": principalTree(c.Principal)}
	if c.Session != nil {
		in["session"] = sessionTree(c.Session)
	}
	if c.Request != nil {
		in["request"] = requestTree(c.Request)
	}
	return in, nil
}

func principalTree(p engine.Principal) map[string]any {
	var roles []any
	if p.Roles != nil {
		roles = make([]any, len(p.Roles))
		for i, r := range p.Roles {
			roles[i] = r
		}
	}
	out := map[string]any{"id": p.ID, "roles": roles}
	if p.Tenant != "" {
		out["tenant"] = p.Tenant
	}
	return out
}

func sessionTree(s *engine.Session) map[string]any {
	out := map[string]any{}
	putString(out, "id", s.ID)
	putString(out, "agent", s.Agent)
	putString(out, "model", s.Model)
	if s.CallIndex != 0 {
		out["call_index"] = s.CallIndex
	}
	return out
}

func requestTree(r *engine.Request) map[string]any {
	out := map[string]any{}
	putString(out, "id", r.ID)
	putString(out, "time", r.Time)
	putString(out, "source", r.Source)
	return out
}

func putString(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}
