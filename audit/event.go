package audit

import (
	"time"

	"github.com/toolgate/toolgate/engine"
)

// DecisionEvent is recorded once per call, after the policy decided and
// before anything runs. Call carries the arguments as the caller sent them;
// an Auditor redacts them before any byte reaches a sink.
type DecisionEvent struct {
	DecisionID string
	Timestamp  time.Time
	Call       engine.Call
	Decision   engine.Decision
	// Err is set when the call was refused without a policy decision
	// (invalid input, policy error, rate limited).
	Err     *ErrorInfo
	Latency time.Duration
	// Limiter says where the rate-limit tokens were counted when the limiter
	// reports it: "redis", or "local_fallback" during a Redis outage.
	Limiter string
}

// OutcomeEvent is recorded once per executed call, after the tool finished.
type OutcomeEvent struct {
	DecisionID  string
	Timestamp   time.Time
	Tool        string
	Principal   string
	Duration    time.Duration
	ExitCode    int
	OutputBytes int64
	Truncated   bool
	// Killed names why the runner stopped the tool: timeout, cpu, memory,
	// output, … Empty when it ended by itself.
	Killed string
	// Layers lists the sandbox mechanisms actually applied.
	Layers []string
	Err    *ErrorInfo
}

// ErrorInfo is an error as audited: its stable code and message.
type ErrorInfo struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
