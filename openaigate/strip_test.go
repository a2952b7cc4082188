package openaigate

import (
	"encoding/json"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A chunk that carried tool-call deltas reaches the application without
// them, in its fields and in its raw JSON, and keeps everything else.
func TestStripRemovesCallDeltas(t *testing.T) {
	t.Parallel()
	var chunk openai.ChatCompletionChunk
	require.NoError(t, json.Unmarshal([]byte(`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
		"choices":[{"index":0,"finish_reason":null,"delta":{"role":"assistant","content":"hi",
		"function_call":{"name":"read_file","arguments":"{"},
		"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"shell.exec","arguments":"{\"command\":"}}]}}]}`), &chunk))
	out, keep := strip(&chunk)
	require.True(t, keep)
	assert.Equal(t, "hi", out.Choices[0].Delta.Content)
	assert.Equal(t, "assistant", out.Choices[0].Delta.Role)
	assert.Empty(t, out.Choices[0].Delta.ToolCalls)
	assert.Equal(t, "c1", out.ID)
	assert.NotContains(t, out.RawJSON(), "shell.exec")
	assert.NotContains(t, out.RawJSON(), "read_file")

	require.NoError(t, json.Unmarshal([]byte(`{"id":"c2","object":"chat.completion.chunk","created":1,"model":"m",
		"choices":[{"index":0,"finish_reason":null,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}}]}`), &chunk))
	_, keep = strip(&chunk)
	assert.False(t, keep, "a chunk of nothing but call deltas is dropped")
}
