package engine

// Decision is what the policies decided for one call. Its zero value denies:
// Allow is false until a policy evaluation that met the decision contract says
// otherwise.
type Decision struct {
	ID          string      `json:"decision_id"`
	Allow       bool        `json:"allow"`
	Violations  []Violation `json:"violations"`
	Sandbox     Sandbox     `json:"sandbox"`
	RateLimits  []RateLimit `json:"rate_limits"`
	Audit       AuditSpec   `json:"audit"`
	Obligations []string    `json:"obligations"`
	// Concurrency caps how many calls sharing a key may be in flight at
	// once. Optional in the decision document.
	Concurrency []ConcurrencyLimit `json:"concurrency,omitempty"`
	// Revision identifies the policy set that decided (bundle revision or a
	// content hash of the loaded modules).
	Revision string `json:"revision,omitempty"`
}

// Violation is one reason for a deny. Code is a stable string callers switch on.
type Violation struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
}

// Network modes a Sandbox may ask for.
const (
	NetworkNone      = "none"
	NetworkAllowlist = "allowlist"
	NetworkAny       = "any"
)

// Sandbox is the execution envelope decided for the call. Zero numeric limits
// mean "not set by policy"; the runner then applies the site maximum.
type Sandbox struct {
	TimeoutMS      int64    `json:"timeout_ms"`
	CPUMS          int64    `json:"cpu_ms"`
	MemoryMB       int64    `json:"memory_mb"`
	MaxOutputBytes int64    `json:"max_output_bytes"`
	MaxFileBytes   int64    `json:"max_file_bytes"`
	MaxOpenFiles   int64    `json:"max_open_files"`
	MaxProcs       int64    `json:"max_procs"`
	Network        string   `json:"network"`
	AllowHosts     []string `json:"allow_hosts"`
	ReadPaths      []string `json:"read_paths"`
	WritePaths     []string `json:"write_paths"`
	Env            []string `json:"env"`
}

// RateLimit is one token bucket the call must take a token from.
type RateLimit struct {
	Key   string `json:"key"`
	Limit int64  `json:"limit"`
	Per   string `json:"per"`
	// LocalFallback allows a fleet limiter that cannot reach its shared
	// store (Redis) to take this token from a per-process limiter instead
	// of refusing the call, when the operator enabled that mode. Policies
	// set it for low-risk tools only. Optional; false when absent.
	LocalFallback bool `json:"local_fallback,omitempty"`
}

// ConcurrencyLimit caps the calls sharing Key that may run at the same time.
type ConcurrencyLimit struct {
	Key   string `json:"key"`
	Limit int64  `json:"limit"`
}

// AuditSpec says how the call is to be audited.
type AuditSpec struct {
	Level  string   `json:"level"`
	Redact []string `json:"redact"`
}

// HasObligation reports whether the decision carries obligation o.
func (d Decision) HasObligation(o string) bool {
	for _, x := range d.Obligations {
		if x == o {
			return true
		}
	}
	return false
}

// Codes returns the violation codes in order.
func (d Decision) Codes() []string {
	out := make([]string, len(d.Violations))
	for i, v := range d.Violations {
		out[i] = v.Code
	}
	return out
}
