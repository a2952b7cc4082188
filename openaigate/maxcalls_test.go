package openaigate_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/openaigate"
)

// A completion with more tool calls than WithMaxToolCalls allows: the calls
// within the bound are checked as usual, the first one past it is refused,
// and the completion is cut off.
func TestTooManyToolCallsAreRefused(t *testing.T) {
	t.Parallel()
	const limit = 3
	hungUp := make(chan bool, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for n := range limit + 1 {
			_, _ = fmt.Fprintf(w, `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":`+
				`{"tool_calls":[{"index":%d,"id":"call_%d","type":"function","function":{"name":"read_file","arguments":"{\"path\": \"notes.txt\"}"}}]},"finish_reason":null}]}`+"\n\n", n, n)
			_ = http.NewResponseController(w).Flush()
		}
		// More calls would follow: the adapter must hang up instead.
		select {
		case <-req.Context().Done():
			hungUp <- true
		case <-time.After(pauseTimeout):
			hungUp <- false
		}
	}))
	t.Cleanup(srv.Close)
	c := drain(t, open(t, srv.URL, openaigate.WithMaxToolCalls(limit)), nil)
	require.Len(t, c.calls, limit+1)
	for i, call := range c.calls[:limit] {
		assert.True(t, call.Allowed(), "call %d: %v", i, call.Err)
		assert.Equal(t, fmt.Sprintf("call_%d", i), call.ID)
	}
	over := c.calls[limit]
	assert.Equal(t, fmt.Sprintf("call_%d", limit), over.ID)
	require.False(t, over.Allowed())
	assert.Equal(t, coordinator.CodeInvalidInput, over.Err.Code)
	assert.Contains(t, over.Err.Message, fmt.Sprintf("more than %d tool calls", limit))
	assert.NotEmpty(t, over.Err.DecisionID)
	msg := over.RefusalMessage()
	require.NotNil(t, msg)
	assert.Equal(t, over.ID, msg.OfTool.ToolCallID)
	assert.Equal(t, over.Err.Text(), msg.OfTool.Content.OfString.Value)
	assert.Contains(t, msg.OfTool.Content.OfString.Value, "toolgate refused this tool call (invalid_input): more than 3 tool calls")
	assert.True(t, <-hungUp, "the adapter cut the completion off")
}
