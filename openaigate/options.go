package openaigate

import (
	"errors"

	"github.com/toolgate/toolgate/engine"
)

// Defaults. A tool call's arguments come from a model: their size and the
// number of calls in one completion are bounded.
const (
	DefaultMaxArgumentBytes = engine.DefaultMaxStringBytes // 256 KiB of argument text per call
	DefaultMaxToolCalls     = 128                          // tool calls per completion
	// DefaultServer is input.tool.server for calls from a completion.
	DefaultServer = "openai"
	sourceOpenAI  = "openai"
)

type config struct {
	principal engine.Principal
	session   *engine.Session
	server    string
	maxArgs   int
	maxCalls  int
	limits    engine.Limits
}

func defaults(p engine.Principal) config {
	return config{principal: p, server: DefaultServer, maxArgs: DefaultMaxArgumentBytes, maxCalls: DefaultMaxToolCalls}
}

// Option configures a Stream.
type Option func(*config) error

// WithSession sets input.session for every call of the stream.
func WithSession(s engine.Session) Option {
	return func(c *config) error { c.session = &s; return nil }
}

// WithServer sets input.tool.server (default "openai").
func WithServer(name string) Option {
	return func(c *config) error { c.server = name; return nil }
}

// WithMaxArgumentBytes bounds the argument text of one call.
func WithMaxArgumentBytes(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("openaigate: max argument bytes must be positive")
		}
		c.maxArgs = n
		return nil
	}
}

// WithMaxToolCalls bounds the tool calls of one completion.
func WithMaxToolCalls(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("openaigate: max tool calls must be positive")
		}
		c.maxCalls = n
		return nil
	}
}

// WithLimits bounds the arguments as they are decoded (size and nesting;
// zero fields mean the engine defaults). Pass the limits the checker
// validates calls with.
func WithLimits(l engine.Limits) Option {
	return func(c *config) error { c.limits = l; return nil }
}
