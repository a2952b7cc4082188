package openaigate_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/openaigate"
	"github.com/toolgate/toolgate/policies"
)

var developer = engine.Principal{ID: "dana", Roles: []string{"developer"}}

// pauseEvent in a recording makes the replay server wait until the test has
// received the tool call streamed just before it: proof that a call is
// yielded as soon as its arguments are complete, not at the end.
const pauseEvent = ": pause"

const pauseTimeout = 10 * time.Second

// replay serves a recorded SSE chat-completion stream, event by event.
type replay struct {
	*httptest.Server
	release chan struct{}
	stalled chan string
}

func newReplay(t *testing.T, recording string) *replay {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", recording))
	require.NoError(t, err)
	r := &replay{release: make(chan struct{}, 16), stalled: make(chan string, 16)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, ev := range strings.SplitAfter(string(data), "\n\n") {
			if strings.TrimSpace(ev) == pauseEvent {
				r.wait(req.Context())
				continue
			}
			if _, err := fmt.Fprint(w, ev); err != nil {
				return
			}
			_ = http.NewResponseController(w).Flush()
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *replay) wait(ctx context.Context) {
	select {
	case <-r.release:
	case <-ctx.Done():
	case <-time.After(pauseTimeout):
		r.stalled <- "the adapter did not yield a complete call before reading on"
	}
}

func newChecker(t *testing.T) *coordinator.Coordinator {
	t.Helper()
	ws := t.TempDir()
	ps, err := engine.LoadFS(policies.FS(), ".")
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps, engine.WithWorkspace(ws))
	require.NoError(t, err)
	coord, err := coordinator.New(eng)
	require.NoError(t, err)
	return coord
}

// open starts a streamed completion with the real openai-go client against
// url and wraps it.
func open(t *testing.T, url string, opts ...openaigate.Option) *openaigate.Stream {
	t.Helper()
	client := openai.NewClient(option.WithBaseURL(url), option.WithAPIKey("sk-test"), option.WithMaxRetries(0))
	src := client.Chat.Completions.NewStreaming(context.Background(), openai.ChatCompletionNewParams{
		Model:    openai.ChatModel("gpt-5"),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("tidy up my notes")},
	})
	s, err := openaigate.New(context.Background(), src, newChecker(t), developer, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// collected is what the application saw.
type collected struct {
	text    string
	finish  []string
	chunks  []openai.ChatCompletionChunk
	calls   []openaigate.ToolCall
	usageOK bool
}

func drain(t *testing.T, s *openaigate.Stream, onCall func(openaigate.ToolCall)) collected {
	t.Helper()
	var c collected
	for s.Next() {
		ev := s.Current()
		if ev.Call != nil {
			c.calls = append(c.calls, *ev.Call)
			if onCall != nil {
				onCall(*ev.Call)
			}
			continue
		}
		c.chunks = append(c.chunks, *ev.Chunk)
		c.usageOK = c.usageOK || ev.Chunk.Usage.TotalTokens > 0
		for _, ch := range ev.Chunk.Choices {
			c.text += ch.Delta.Content
			if ch.FinishReason != "" {
				c.finish = append(c.finish, ch.FinishReason)
			}
		}
	}
	require.NoError(t, s.Err())
	return c
}

func violationCodes(c openaigate.ToolCall) []string {
	if c.Err == nil {
		return nil
	}
	out := []string{}
	for _, v := range c.Err.Violations {
		out = append(out, v.Code)
	}
	return out
}

// A malicious call among benign ones is refused while the others are
// allowed, each the moment its arguments are complete; the application
// never sees a tool-call delta.
func TestSequentialCallsAreCheckedAsTheyComplete(t *testing.T) {
	t.Parallel()
	r := newReplay(t, "sequential.sse")
	c := drain(t, open(t, r.URL), func(openaigate.ToolCall) { r.release <- struct{}{} })
	select {
	case msg := <-r.stalled:
		t.Fatal(msg)
	default:
	}
	require.Len(t, c.calls, 3)
	assert.Equal(t, "read_file", c.calls[0].Name)
	assert.True(t, c.calls[0].Allowed(), "%v", c.calls[0].Err)
	assert.Equal(t, `{"path": "notes.txt"}`, c.calls[0].Arguments)
	assert.Equal(t, "call_read", c.calls[0].ID)
	assert.False(t, c.calls[1].Allowed())
	assert.Equal(t, coordinator.CodeDenied, c.calls[1].Err.Code)
	assert.Contains(t, violationCodes(c.calls[1]), "remote_code_execution")
	assert.True(t, c.calls[2].Allowed(), "%v", c.calls[2].Err)
	assert.Equal(t, "I'll look at the notes and the directory.", c.text)
	assert.Equal(t, []string{"tool_calls"}, c.finish)
	assert.True(t, c.usageOK, "the usage chunk passes through")
	for _, ch := range c.chunks {
		assert.NotContains(t, ch.RawJSON(), "tool_calls\":[", "tool-call deltas are stripped")
	}
	msg := c.calls[1].RefusalMessage()
	require.NotNil(t, msg)
	assert.Equal(t, "call_rce", msg.OfTool.ToolCallID)
}

// Deltas of parallel calls that alternate are assembled per index.
func TestInterleavedParallelCalls(t *testing.T) {
	t.Parallel()
	c := drain(t, open(t, newReplay(t, "interleaved.sse").URL), nil)
	require.Len(t, c.calls, 2)
	byName := map[string]openaigate.ToolCall{c.calls[0].Name: c.calls[0], c.calls[1].Name: c.calls[1]}
	assert.True(t, byName["read_file"].Allowed())
	assert.Equal(t, `{"path": "notes.txt"}`, byName["read_file"].Arguments)
	assert.Equal(t, []string{"cloud_metadata"}, violationCodes(byName["fetch"]))
	assert.Equal(t, int64(1), byName["fetch"].Index)
}

// Arguments that are not one JSON object are refused as invalid input; the
// stream goes on.
func TestMalformedArguments(t *testing.T) {
	t.Parallel()
	c := drain(t, open(t, newReplay(t, "malformed.sse").URL), nil)
	require.Len(t, c.calls, 3)
	got := map[string]openaigate.ToolCall{}
	for _, call := range c.calls {
		got[call.ID] = call
	}
	for _, id := range []string{"call_bad1", "call_bad2"} {
		require.NotNil(t, got[id].Err, id)
		assert.Equal(t, coordinator.CodeInvalidInput, got[id].Err.Code, id)
		assert.NotEmpty(t, got[id].Err.DecisionID)
	}
	assert.True(t, got["call_ok"].Allowed())
}

// A stream that ends in the middle of a call refuses that call; the calls
// completed before it stand.
func TestStreamEndingMidCall(t *testing.T) {
	t.Parallel()
	c := drain(t, open(t, newReplay(t, "truncated.sse").URL), nil)
	require.Len(t, c.calls, 2)
	assert.True(t, c.calls[0].Allowed())
	assert.Equal(t, "call_cut", c.calls[1].ID)
	require.NotNil(t, c.calls[1].Err)
	assert.Equal(t, coordinator.CodeInvalidInput, c.calls[1].Err.Code)
	assert.Contains(t, c.calls[1].Err.Message, "ended before")
}

// The deprecated function_call delta is checked like a tool call.
func TestLegacyFunctionCall(t *testing.T) {
	t.Parallel()
	c := drain(t, open(t, newReplay(t, "legacy_function_call.sse").URL), nil)
	require.Len(t, c.calls, 1)
	assert.Equal(t, "read_file", c.calls[0].Name)
	assert.False(t, c.calls[0].Allowed())
	assert.Equal(t, coordinator.CodeDenied, c.calls[0].Err.Code)
}

// oversizedChunks is how many argument deltas the endless server below
// would send; the adapter must stop long before.
const oversizedChunks = 20000

// An argument stream past the bound is refused and the completion is cut
// off: the adapter stops reading and closes the connection.
func TestOversizedArgumentsAreCutOff(t *testing.T) {
	t.Parallel()
	written := make(chan int, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		n := 0
		defer func() { written <- n }()
		write := func(delta string) bool {
			_, err := fmt.Fprintf(w, `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":%s,"finish_reason":null}]}`+"\n\n", delta)
			_ = http.NewResponseController(w).Flush()
			return err == nil && req.Context().Err() == nil
		}
		write(`{"tool_calls":[{"index":0,"id":"call_big","type":"function","function":{"name":"write_file","arguments":"{\"path\": \"big.txt\", \"content\": \""}}]}`)
		pad := strings.Repeat("a", 64)
		for n = 0; n < oversizedChunks && write(`{"tool_calls":[{"index":0,"function":{"arguments":"`+pad+`"}}]}`); n++ {
		}
	}))
	t.Cleanup(srv.Close)
	s := open(t, srv.URL, openaigate.WithMaxArgumentBytes(1024))
	c := drain(t, s, nil)
	require.Len(t, c.calls, 1)
	assert.Equal(t, coordinator.CodeInvalidInput, c.calls[0].Err.Code)
	assert.Contains(t, c.calls[0].Err.Message, "cut off")
	assert.LessOrEqual(t, len(c.calls[0].Arguments), 1024)
	select {
	case n := <-written:
		assert.Less(t, n, oversizedChunks, "the server stopped sending when the client hung up")
	case <-time.After(pauseTimeout):
		t.Fatal("the server is still streaming: the adapter did not cut the stream off")
	}
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	checker := newChecker(t)
	_, err := openaigate.New(context.Background(), nil, checker, developer)
	require.Error(t, err)
	client := openai.NewClient(option.WithBaseURL(newReplay(t, "truncated.sse").URL), option.WithAPIKey("k"))
	src := client.Chat.Completions.NewStreaming(context.Background(), openai.ChatCompletionNewParams{Model: openai.ChatModel("gpt-5")})
	defer func() { _ = src.Close() }()
	_, err = openaigate.New(context.Background(), src, checker, developer, openaigate.WithMaxArgumentBytes(0))
	require.Error(t, err)
	_, err = openaigate.New(context.Background(), src, checker, developer, openaigate.WithMaxToolCalls(-1))
	require.Error(t, err)
}
