package engine

// Default bounds for a call document. A tool call's arguments come from a
// language model: every dimension an attacker could inflate is capped.
const (
	DefaultMaxCallBytes   = 1 << 20   // whole call document
	DefaultMaxDepth       = 32        // nesting of objects and arrays
	DefaultMaxKeys        = 4096      // object keys and array items, summed over the call
	DefaultMaxStringBytes = 256 << 10 // any one string, key or value
	DefaultMaxNameBytes   = 256       // tool, server, principal and role names
)

// Limits bounds a call document. The zero value of a field means its default.
type Limits struct {
	MaxCallBytes   int `mapstructure:"max_call_bytes"`
	MaxDepth       int `mapstructure:"max_depth"`
	MaxKeys        int `mapstructure:"max_keys"`
	MaxStringBytes int `mapstructure:"max_string_bytes"`
	MaxNameBytes   int `mapstructure:"max_name_bytes"`
}

// withDefaults returns l with every unset field at its default.
func (l Limits) withDefaults() Limits {
	def := func(v, d int) int {
		if v <= 0 {
			return d
		}
		return v
	}
	return Limits{
		MaxCallBytes:   def(l.MaxCallBytes, DefaultMaxCallBytes),
		MaxDepth:       def(l.MaxDepth, DefaultMaxDepth),
		MaxKeys:        def(l.MaxKeys, DefaultMaxKeys),
		MaxStringBytes: def(l.MaxStringBytes, DefaultMaxStringBytes),
		MaxNameBytes:   def(l.MaxNameBytes, DefaultMaxNameBytes),
	}
}
