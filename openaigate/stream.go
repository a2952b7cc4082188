// Package openaigate checks the tool calls of a streamed OpenAI chat
// completion (github.com/openai/openai-go/v3) before the application can
// run them.
//
// A Stream wraps the SDK's chunk stream. It assembles each tool call from its
// deltas, interleaved parallel calls included, and checks it through the
// coordinator the moment its arguments form a complete JSON object. The
// application never sees tool-call deltas: it gets the chunks with those
// removed (text, refusals, finish reasons, usage) and, as separate events,
// each checked call, allowed or refused with its codes. Arguments that are
// not a JSON object, that grow past the size bound, or that the stream ends
// in the middle of, are refused; an oversized argument stream is cut off at
// the bound, and the rest of the completion is not read.
package openaigate

import (
	"context"
	"errors"

	"github.com/openai/openai-go/v3"

	"github.com/toolgate/toolgate/engine"
)

// Checker decides one call; *coordinator.Coordinator is one.
type Checker interface {
	Check(ctx context.Context, call engine.Call) (engine.Decision, error)
}

// ChunkStream is a streamed chat completion; the SDK's
// *ssestream.Stream[openai.ChatCompletionChunk] is one.
type ChunkStream interface {
	Next() bool
	Current() openai.ChatCompletionChunk
	Err() error
	Close() error
}

// Event is one step of a Stream: a chunk without its tool-call deltas, or
// one checked tool call.
type Event struct {
	Chunk *openai.ChatCompletionChunk
	Call  *ToolCall
}

// Stream yields the events of a checked chat completion stream. It is not
// safe for concurrent use, like the stream it wraps.
type Stream struct {
	ctx     context.Context
	src     ChunkStream
	checker Checker
	cfg     config
	calls   map[callKey]*pending
	queue   []Event
	cur     Event
	err     error
	ended   bool
}

type callKey struct{ choice, index int64 }

// New wraps src. Every tool call is checked with checker on behalf of
// principal.
func New(ctx context.Context, src ChunkStream, checker Checker, principal engine.Principal, opts ...Option) (*Stream, error) {
	if src == nil || checker == nil {
		return nil, errors.New("openaigate: nil stream or checker")
	}
	cfg := defaults(principal)
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	return &Stream{ctx: ctx, src: src, checker: checker, cfg: cfg, calls: map[callKey]*pending{}}, nil
}

// Next advances to the next event. It returns false at the end of the
// stream or on an error (see Err).
func (s *Stream) Next() bool {
	for len(s.queue) == 0 {
		if s.ended {
			return false
		}
		if s.src.Next() {
			chunk := s.src.Current()
			s.consume(&chunk)
			continue
		}
		s.end(s.src.Err())
	}
	s.cur, s.queue = s.queue[0], s.queue[1:]
	return true
}

// Current is the event Next moved to.
func (s *Stream) Current() Event { return s.cur }

// Err is the error that ended the stream, if any. Calls still open at that
// point were refused, as for a stream that ends mid-call.
func (s *Stream) Err() error { return s.err }

// Close releases the underlying stream.
func (s *Stream) Close() error { return s.src.Close() }

// end refuses every call whose arguments never completed.
func (s *Stream) end(err error) {
	s.ended = true
	s.err = err
	for _, key := range s.openKeys(-1) {
		s.finishCall(key, errIncomplete)
	}
}

// cut stops reading the completion: an argument stream went past its bound.
func (s *Stream) cut() {
	_ = s.src.Close()
	s.end(nil)
}
