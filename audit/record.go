package audit

import (
	"github.com/toolgate/toolgate/engine"
)

// DecisionPath is the "path" of decision events: the policy entry point, in
// the form OPA decision logs use.
const DecisionPath = "toolgate/decision"

// decisionRecord is the body of a decision line. The field order is the
// order on the wire; the chain header comes before it. Names follow OPA's
// decision-log event where one applies.
type decisionRecord struct {
	EventID    string            `json:"event_id"`
	DecisionID string            `json:"decision_id,omitempty"`
	Timestamp  string            `json:"timestamp"`
	Path       string            `json:"path"`
	Labels     map[string]string `json:"labels,omitempty"`
	Bundles    *bundles          `json:"bundles,omitempty"`
	Input      map[string]any    `json:"input"`
	Result     *engine.Decision  `json:"result,omitempty"`
	Erased     []string          `json:"erased,omitempty"`
	Masked     []string          `json:"masked,omitempty"`
	Error      *ErrorInfo        `json:"error,omitempty"`
	Limiter    string            `json:"limiter,omitempty"`
	Metrics    *metrics          `json:"metrics,omitempty"`
}

type bundles struct {
	Toolgate revision `json:"toolgate"`
}

type revision struct {
	Revision string `json:"revision"`
}

type metrics struct {
	DecisionNS int64 `json:"timer_toolgate_decision_ns"`
}

// outcomeRecord is the body of an outcome line.
type outcomeRecord struct {
	EventID     string            `json:"event_id"`
	DecisionID  string            `json:"decision_id"`
	Timestamp   string            `json:"timestamp"`
	Labels      map[string]string `json:"labels,omitempty"`
	Tool        string            `json:"tool"`
	Principal   string            `json:"principal"`
	DurationNS  int64             `json:"duration_ns"`
	ExitCode    int               `json:"exit_code"`
	OutputBytes int64             `json:"output_bytes"`
	Truncated   bool              `json:"truncated"`
	Killed      string            `json:"killed,omitempty"`
	Layers      []string          `json:"layers,omitempty"`
	Error       *ErrorInfo        `json:"error,omitempty"`
	Erased      []string          `json:"erased,omitempty"`
	Masked      []string          `json:"masked,omitempty"`
}

// checkpointRecord is the body of a checkpoint line.
type checkpointRecord struct {
	EventID    string            `json:"event_id"`
	Timestamp  string            `json:"timestamp"`
	Labels     map[string]string `json:"labels,omitempty"`
	Checkpoint checkpointInfo    `json:"checkpoint"`
}

// Checkpoint reasons.
const (
	reasonOpen     = "open"
	reasonInterval = "interval"
	reasonClose    = "close"
)

type checkpointInfo struct {
	Reason    string `json:"reason"`
	KeyID     string `json:"key_id"`
	Signature string `json:"signature"`
}
