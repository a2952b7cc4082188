package engine

import "github.com/open-policy-agent/opa/v1/ast"

// The keys of the input document and of the decision contract are built or
// looked up on every decision. ast.InternedTerm allocates a new term for a
// string OPA has not interned, so they are interned once here, the way OPA's
// own packages intern theirs at init (about 100 allocations per decision).
func init() {
	ast.InternStringTerm(
		// input document
		keyTool, keyPrincipal, keySession, keyRequest, keyEnvironment, keyFacts,
		"name", "server", "arguments", "annotations", "id", "roles", "tenant",
		"agent", "model", "call_index", "time", "source", "workspace",
		// decision contract
		"allow", "violations", "code", "severity", "field", "message",
		"sandbox", "timeout_ms", "cpu_ms", "memory_mb", "max_output_bytes", "max_file_bytes",
		"max_open_files", "max_procs", "network", "allow_hosts", "read_paths", "write_paths", "env",
		"rate_limits", "concurrency", "key", "scope", "limit", "per", "local_fallback",
		"audit", "level", "redact", "obligations",
	)
}
