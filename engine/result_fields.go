package engine

import "github.com/open-policy-agent/opa/v1/ast"

func (r *objReader) violations(key string) []Violation {
	out := []Violation{}
	r.each(key, func(o objReader) {
		out = append(out, Violation{
			Code:     o.str("code", false),
			Severity: o.str("severity", false),
			Field:    o.str("field", true),
			Message:  o.str("message", false),
		})
		r.keep(o)
	})
	return out
}

func (r *objReader) rateLimits(key string, keys bucketKeys) []RateLimit {
	out := []RateLimit{}
	r.each(key, func(o objReader) {
		k, ok := o.bucketKey(keys)
		rl := RateLimit{
			Key:   k,
			Limit: o.integer("limit", false),
			Per:   o.str("per", false),
			// optional: absent means the call is refused when the
			// shared limiter is unreachable
			LocalFallback: o.optionalBool("local_fallback"),
		}
		if ok {
			out = append(out, rl)
		}
		r.keep(o)
	})
	return out
}

// bucketKey reads the key of a rate limit or concurrency cap: an explicit
// "key", or a "scope" the engine keys from the call (see keys.go). ok is
// false when the bucket does not apply to this call (a session scope without
// a session).
func (r *objReader) bucketKey(keys bucketKeys) (key string, ok bool) {
	hasKey := r.obj.Get(ast.InternedTerm("key")) != nil
	hasScope := r.obj.Get(ast.InternedTerm("scope")) != nil
	switch {
	case hasKey && !hasScope:
		return r.str("key", false), true
	case hasScope && !hasKey:
		scope := r.str("scope", false)
		k, present, known := keys.key(scope)
		if !known {
			r.fail("scope", "must be one of %s, %s, %s; got %q", ScopePrincipalTool, ScopePrincipal, ScopeSession, scope)
		}
		return k, present
	default:
		r.fail("key", "needs exactly one of key and scope")
		return "", false
	}
}

func (r *objReader) sandbox(key string) Sandbox {
	o := r.object(key)
	s := Sandbox{
		TimeoutMS:      o.integer("timeout_ms", false),
		CPUMS:          o.integer("cpu_ms", false),
		MemoryMB:       o.integer("memory_mb", false),
		MaxOutputBytes: o.integer("max_output_bytes", false),
		MaxFileBytes:   o.integer("max_file_bytes", true),
		MaxOpenFiles:   o.integer("max_open_files", true),
		MaxProcs:       o.integer("max_procs", false),
		Network:        o.str("network", false),
		AllowHosts:     o.strings("allow_hosts"),
		ReadPaths:      o.strings("read_paths"),
		WritePaths:     o.strings("write_paths"),
		Env:            o.optionalStrings("env"),
	}
	switch s.Network {
	case NetworkNone, NetworkAllowlist, NetworkAny:
	default:
		o.fail("network", "must be one of none, allowlist, any; got %q", s.Network)
	}
	r.keep(o)
	return s
}

func (r *objReader) auditSpec(key string) AuditSpec {
	o := r.object(key)
	a := AuditSpec{Level: o.str("level", false), Redact: o.strings("redact")}
	r.keep(o)
	return a
}

func (r *objReader) optionalStrings(key string) []string {
	if r.obj.Get(ast.InternedTerm(key)) == nil {
		return nil
	}
	return r.strings(key)
}

// concurrency reads the optional concurrency caps; absent means none.
func (r *objReader) concurrency(key string, keys bucketKeys) []ConcurrencyLimit {
	if r.obj.Get(ast.InternedTerm(key)) == nil {
		return nil
	}
	out := []ConcurrencyLimit{}
	r.each(key, func(o objReader) {
		k, ok := o.bucketKey(keys)
		c := ConcurrencyLimit{Key: k, Limit: o.integer("limit", false)}
		if ok && (c.Key == "" || c.Limit <= 0) {
			o.fail("limit", "needs a key and a positive limit")
		}
		if ok {
			out = append(out, c)
		}
		r.keep(o)
	})
	return out
}

func (r *objReader) optionalBool(key string) bool {
	if r.obj.Get(ast.InternedTerm(key)) == nil {
		return false
	}
	return r.boolean(key)
}
