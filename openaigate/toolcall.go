package openaigate

import (
	"github.com/openai/openai-go/v3"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// ToolCall is one tool call of the stream, assembled from its deltas and
// checked. Err is nil when the policies allow it; otherwise it is the
// *coordinator.Error that refused it, and the call must not run.
type ToolCall struct {
	Choice    int64  // the choice it belongs to (n > 1)
	Index     int64  // its index among the choice's tool calls
	ID        string // the model's tool call id
	Name      string
	Arguments string // the JSON text the model produced
	Decision  engine.Decision
	Err       *coordinator.Error
}

// Allowed reports whether the call may run.
func (c ToolCall) Allowed() bool { return c.Err == nil }

// Param is the call as it goes back into the conversation, in the
// assistant message that requested it.
func (c ToolCall) Param() openai.ChatCompletionMessageToolCallUnionParam {
	return openai.ChatCompletionMessageToolCallUnionParam{
		OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
			ID:       c.ID,
			Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: c.Name, Arguments: c.Arguments},
		},
	}
}

// RefusalMessage is the tool message that answers a refused call, so the
// model learns why and can correct itself. Nil when the call is allowed.
func (c ToolCall) RefusalMessage() *openai.ChatCompletionMessageParamUnion {
	if c.Err == nil {
		return nil
	}
	m := openai.ToolMessage(c.Err.Text(), c.ID)
	return &m
}
