package openaigate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// legacyIndex keys the deprecated function_call delta, which streams one
// call per choice without an index. It is checked like any tool call.
const legacyIndex = -1

var (
	errIncomplete = errors.New("the stream ended before the call's arguments were complete")
	errUnfinished = errors.New("the choice finished before the call's arguments were complete")
)

// pending is a tool call being assembled.
type pending struct {
	id, name string
	args     strings.Builder
	scan     objectScanner
	done     bool // checked or refused: later deltas are ignored
	order    int
}

// consume takes one chunk: tool-call deltas feed their calls, the rest of
// the chunk is queued for the application.
func (s *Stream) consume(chunk *openai.ChatCompletionChunk) {
	hadCalls := false
	for i := range chunk.Choices {
		ch := &chunk.Choices[i]
		for _, d := range deltas(ch) {
			hadCalls = true
			s.delta(ch.Index, d)
			if s.ended {
				return
			}
		}
		if ch.FinishReason != "" {
			for _, key := range s.openKeys(ch.Index) {
				s.finishCall(key, errUnfinished)
			}
		}
	}
	if !hadCalls {
		s.queue = append(s.queue, Event{Chunk: chunk})
		return
	}
	if stripped, keep := strip(chunk); keep {
		s.queue = append(s.queue, Event{Chunk: stripped})
	}
}

// deltas returns a choice's tool-call deltas, the legacy function_call
// delta included.
func deltas(ch *openai.ChatCompletionChunkChoice) []openai.ChatCompletionChunkChoiceDeltaToolCall {
	out := ch.Delta.ToolCalls
	// The legacy function_call delta is deprecated but still streamed by
	// compatible servers: a call that arrives that way must be checked too.
	if fc := ch.Delta.FunctionCall; fc.Name != "" || fc.Arguments != "" { //nolint:staticcheck // SA1019: deliberate, see above
		out = append(slices.Clip(out), openai.ChatCompletionChunkChoiceDeltaToolCall{
			Index:    legacyIndex,
			Function: openai.ChatCompletionChunkChoiceDeltaToolCallFunction{Name: fc.Name, Arguments: fc.Arguments},
		})
	}
	return out
}

func (s *Stream) delta(choice int64, d openai.ChatCompletionChunkChoiceDeltaToolCall) {
	key := callKey{choice, d.Index}
	p := s.calls[key]
	if p == nil {
		if len(s.calls) >= s.cfg.maxCalls {
			s.emitRefused(key, &pending{id: d.ID, name: d.Function.Name}, fmt.Errorf("more than %d tool calls in one completion", s.cfg.maxCalls))
			s.cut()
			return
		}
		p = &pending{order: len(s.calls)}
		s.calls[key] = p
	}
	if p.done {
		return
	}
	if p.id == "" {
		p.id = d.ID
	}
	p.name += d.Function.Name
	s.feed(key, p, d.Function.Arguments)
}

func (s *Stream) feed(key callKey, p *pending, text string) {
	if p.args.Len()+len(text) > s.cfg.maxArgs {
		s.refuse(key, p, fmt.Errorf("arguments longer than %d bytes; the stream was cut off", s.cfg.maxArgs))
		s.cut()
		return
	}
	p.args.WriteString(text)
	if err := p.scan.feed(text); err != nil {
		s.refuse(key, p, err)
		return
	}
	if p.scan.done {
		s.check(key, p)
	}
}

// finishCall settles a call still open when its choice or the stream ends.
// A call that never received arguments is a call without arguments.
func (s *Stream) finishCall(key callKey, cause error) {
	p := s.calls[key]
	if strings.TrimSpace(p.args.String()) == "" && cause == errUnfinished {
		p.args.WriteString("{}")
		s.check(key, p)
		return
	}
	s.refuse(key, p, cause)
}

func (s *Stream) openKeys(choice int64) []callKey {
	var keys []callKey
	for k, p := range s.calls {
		if !p.done && (choice < 0 || k.choice == choice) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b callKey) int { return s.calls[a].order - s.calls[b].order })
	return keys
}

// check decides a call whose arguments are complete.
func (s *Stream) check(key callKey, p *pending) {
	args, err := decodeArguments(p.args.String(), s.cfg.limits)
	if err == nil && p.name == "" {
		err = errors.New("the tool call has no function name")
	}
	if err != nil {
		s.refuse(key, p, err)
		return
	}
	p.done = true
	call := engine.Call{
		Tool:      engine.Tool{Name: p.name, Server: s.cfg.server, Arguments: args},
		Principal: s.cfg.principal,
		Session:   s.cfg.session,
		Request:   &engine.Request{ID: p.id, Time: time.Now().UTC().Format(time.RFC3339Nano), Source: sourceOpenAI},
	}
	d, err := s.checker.Check(s.ctx, call)
	tc := s.toolCall(key, p)
	tc.Decision = d
	if err != nil {
		tc.Err = coordinator.ErrorOf(err)
	}
	s.queue = append(s.queue, Event{Call: &tc})
}

// refuse settles a call that cannot be checked: its arguments are not a
// complete JSON object.
func (s *Stream) refuse(key callKey, p *pending, cause error) {
	p.done = true
	s.emitRefused(key, p, cause)
}

func (s *Stream) emitRefused(key callKey, p *pending, cause error) {
	tc := s.toolCall(key, p)
	tc.Decision.ID = engine.NewID()
	tc.Err = &coordinator.Error{
		Code: coordinator.CodeInvalidInput, Message: cause.Error(), Err: cause, DecisionID: tc.Decision.ID,
	}
	s.queue = append(s.queue, Event{Call: &tc})
}

func (s *Stream) toolCall(key callKey, p *pending) ToolCall {
	return ToolCall{Choice: key.choice, Index: key.index, ID: p.id, Name: p.name, Arguments: p.args.String()}
}

// decodeArguments parses the complete arguments as engine.DecodeArguments
// does (numbers kept exact; duplicate keys, keys that differ only in case
// and trailing text refused). null is not an object of arguments.
func decodeArguments(text string, lim engine.Limits) (map[string]any, error) {
	args, err := engine.DecodeArguments([]byte(text), lim)
	if err != nil {
		return nil, err
	}
	if args == nil {
		return nil, errNotObject
	}
	return args, nil
}

// strip removes tool-call deltas from a chunk, raw JSON included, and
// reports whether anything is left for the application.
func strip(chunk *openai.ChatCompletionChunk) (*openai.ChatCompletionChunk, bool) {
	keep := len(chunk.Choices) == 0
	for i := range chunk.Choices {
		ch := &chunk.Choices[i]
		ch.Delta.ToolCalls = nil
		ch.Delta.FunctionCall = openai.ChatCompletionChunkChoiceDeltaFunctionCall{} //nolint:staticcheck // SA1019: strip the legacy call from the chunk
		d := ch.Delta
		keep = keep || d.Content != "" || d.Refusal != "" || d.Role != "" || ch.FinishReason != ""
	}
	data, err := json.Marshal(chunk)
	if err != nil {
		return nil, false
	}
	var out openai.ChatCompletionChunk
	if err := json.Unmarshal(bytes.TrimSpace(data), &out); err != nil {
		return nil, false
	}
	return &out, keep
}
