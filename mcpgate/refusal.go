package mcpgate

import (
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// RefusalMetaKey is the _meta key of a refused call's CallToolResult. Its
// value is a Refusal, for clients that act on the codes.
const RefusalMetaKey = "toolgate/refusal"

// Refusal is the machine-readable part of a refused tools/call.
type Refusal struct {
	Code         string             `json:"code"`
	Message      string             `json:"message"`
	Violations   []engine.Violation `json:"violations,omitempty"`
	DecisionID   string             `json:"decision_id,omitempty"`
	RetryAfterMS int64              `json:"retry_after_ms,omitempty"`
}

// NewRefusal describes a coordinator refusal.
func NewRefusal(e *coordinator.Error) Refusal {
	return Refusal{
		Code:         string(e.Code),
		Message:      e.Message,
		Violations:   e.Violations,
		DecisionID:   e.DecisionID,
		RetryAfterMS: e.RetryAfter.Milliseconds(),
	}
}

// Text is the refusal as the model reads it: what was refused and why, so
// it can correct itself. It is coordinator.Error.Text, the text every
// gateway shows.
func (r Refusal) Text() string {
	e := coordinator.Error{
		Code: coordinator.Code(r.Code), Message: r.Message, Violations: r.Violations, DecisionID: r.DecisionID,
	}
	return e.Text()
}

// refusalResult is a CallToolResult with isError set: an MCP tool error the
// model sees, carrying the refusal in _meta.
func refusalResult(r Refusal) map[string]any {
	return map[string]any{
		"content": []any{map[string]any{"type": "text", "text": r.Text()}},
		"isError": true,
		"_meta":   map[string]any{RefusalMetaKey: r},
	}
}

func refusalResponse(id jsonrpc.ID, e *coordinator.Error) *jsonrpc.Response {
	return resultResponse(id, refusalResult(NewRefusal(e)))
}
