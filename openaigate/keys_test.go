package openaigate_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/openaigate"
)

// streamCalls serves a completion that streams each call's arguments in the
// given pieces, one delta per piece.
func streamCalls(t *testing.T, calls map[string][]string, order []string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		chunk := func(delta string, finish string) {
			f := "null"
			if finish != "" {
				f = `"` + finish + `"`
			}
			_, _ = fmt.Fprintf(w, `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}`+"\n\n", delta, f)
		}
		for i, id := range order {
			chunk(fmt.Sprintf(`{"tool_calls":[{"index":%d,"id":%q,"type":"function","function":{"name":"http.fetch","arguments":""}}]}`, i, id), "")
			for _, piece := range calls[id] {
				text, err := json.Marshal(piece)
				if err != nil {
					panic(err)
				}
				chunk(fmt.Sprintf(`{"tool_calls":[{"index":%d,"function":{"arguments":%s}}]}`, i, text), "")
			}
		}
		chunk(`{}`, "tool_calls")
		_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Arguments with keys that differ only in case, or with a duplicate key,
// are refused as invalid input before any policy judges them: an
// application decoding them (into a struct, or with a first-wins parser)
// could read the metadata URL while the policies judged the other one.
func TestAmbiguousArgumentKeysAreRefused(t *testing.T) {
	t.Parallel()
	calls := map[string][]string{
		"call_case":   {`{"url": "https://example.com/", `, `"URL": "http://169.254.169.254/latest/meta-data"}`},
		"call_nested": {`{"url": "https://example.com/", "headers": {"Accept": "a", `, `"accept": "b"}}`},
		"call_dup":    {`{"url": "http://169.254.169.254/latest/meta-data", `, `"url": "https://example.com/"}`},
		"call_ok":     {`{"url": "https://example.com/", "headers": {"Accept": "a"}}`},
	}
	order := []string{"call_case", "call_nested", "call_dup", "call_ok"}
	c := drain(t, open(t, streamCalls(t, calls, order)), nil)
	require.Len(t, c.calls, len(order))
	got := map[string]openaigate.ToolCall{}
	for _, call := range c.calls {
		got[call.ID] = call
	}
	want := map[string]string{
		"call_case":   `keys "URL" and "url" differ only in case`,
		"call_nested": `keys "Accept" and "accept" differ only in case`,
		"call_dup":    `duplicate key "url"`,
	}
	for id, msg := range want {
		require.NotNil(t, got[id].Err, id)
		assert.False(t, got[id].Allowed(), id)
		assert.Equal(t, coordinator.CodeInvalidInput, got[id].Err.Code, id)
		assert.Contains(t, got[id].Err.Message, msg, id)
		assert.NotEmpty(t, got[id].Err.DecisionID, id)
		require.NotNil(t, got[id].RefusalMessage(), id)
	}
	assert.True(t, got["call_ok"].Allowed(), "distinct keys are checked as usual: %v", got["call_ok"].Err)
}
