package mcpgate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// binaryKeys hold base64 payloads (image, audio, blob resources), which are
// not scanned as text.
var binaryKeys = map[string]bool{"data": true, "blob": true}

// CheckResult runs a CallToolResult through the response policy. It returns
// the result to give the client (redacted when the policy said so) or a
// *coordinator.Error when the result must be withheld: blocked by the
// policy (denied), or not checkable (policy_error).
func (g *Gate) CheckResult(ctx context.Context, call engine.Call, raw json.RawMessage) (json.RawMessage, error) {
	if g.resp == nil {
		return raw, nil
	}
	doc, err := decodeResult(raw)
	if err != nil {
		return nil, withheld(coordinator.CodePolicyError, "the tool result is not a valid CallToolResult", err)
	}
	var slots []stringSlot
	collectStrings(doc, &slots)
	parts := make([]string, len(slots))
	for i, s := range slots {
		parts[i] = s.s
	}
	isErr, _ := doc["isError"].(bool)
	d, err := g.resp.CheckResponse(ctx, engine.ToolResponse{
		Call: call, Parts: parts, Bytes: int64(len(raw)), IsError: isErr,
	})
	if err != nil {
		g.log.Error().Err(err).Str("tool", call.Tool.Name).Msg("response policy failed; withholding the result")
		return nil, withheld(coordinator.CodePolicyError, "the tool result could not be checked", err)
	}
	switch d.Action {
	case engine.ResponseAllow:
		return raw, nil
	case engine.ResponseRedact:
		setStrings(slots, d.Parts)
		return json.Marshal(doc)
	default:
		e := withheld(coordinator.CodeDenied, "the response policy withheld the tool result", nil)
		e.Violations = d.Violations
		return nil, e
	}
}

// checkedServerError passes a server's JSON-RPC error reply to tools/call
// through the response policy like a result: its message and data are text
// the server sends the client, where a compromised server could put a token
// or a private key. The error is redacted or withheld as a result would be.
func (g *Gate) checkedServerError(ctx context.Context, id jsonrpc.ID, call engine.Call, e error) *jsonrpc.Response {
	var we *jsonrpc.Error
	if !errors.As(e, &we) {
		we = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: e.Error()}
	}
	raw, err := json.Marshal(we)
	if err == nil {
		raw, err = g.CheckResult(ctx, call, raw)
	}
	if err != nil {
		return refusalResponse(id, coordinator.ErrorOf(err))
	}
	var checked jsonrpc.Error
	if err := json.Unmarshal(raw, &checked); err != nil {
		return errorResponse(id, jsonrpc.CodeInternalError, "toolgate: the server's error could not be checked")
	}
	return &jsonrpc.Response{ID: id, Error: &checked}
}

func withheld(code coordinator.Code, msg string, cause error) *coordinator.Error {
	return &coordinator.Error{Code: code, Message: msg, Err: cause}
}

func decodeResult(raw json.RawMessage) (map[string]any, error) {
	if err := engine.CheckUniqueKeys(raw); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the result")
	}
	if doc == nil {
		return nil, errors.New("result is null")
	}
	return doc, nil
}

// stringSlot is one string inside a decoded JSON document: an object key
// (obj set, isKey), a value under a key (obj set) or an array item (arr set).
// Slots are plain values, not closures, so collecting them costs no
// allocation per string beyond the slice.
type stringSlot struct {
	s     string
	obj   map[string]any
	key   string // the key as found, for a key and for a value under it
	isKey bool
	arr   []any
	idx   int
}

// collectStrings finds every string in v, object keys included (a server
// can put a token in a key as well as in a value), skipping base64 payloads.
// The slot of a string value directly follows the slot of its key.
func collectStrings(v any, out *[]stringSlot) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			*out = append(*out, stringSlot{s: k, obj: x, key: k, isKey: true})
			if s, ok := e.(string); ok {
				if !binaryKeys[k] {
					*out = append(*out, stringSlot{s: s, obj: x, key: k})
				}
				continue
			}
			collectStrings(e, out)
		}
	case []any:
		for i, e := range x {
			if s, ok := e.(string); ok {
				*out = append(*out, stringSlot{s: s, arr: x, idx: i})
				continue
			}
			collectStrings(e, out)
		}
	}
}

// setStrings writes parts (one per slot, as the policy returned them) back
// into the document. A key is renamed with its value; a string value is set
// under its key's new name, which parts holds at the slot before it, so a
// redacted value moves to its redacted key.
func setStrings(slots []stringSlot, parts []string) {
	for i, sl := range slots {
		n := parts[i]
		switch {
		case sl.arr != nil:
			sl.arr[sl.idx] = n
		case sl.isKey:
			if n != sl.key {
				sl.obj[n] = sl.obj[sl.key]
				delete(sl.obj, sl.key)
			}
		default:
			sl.obj[parts[i-1]] = n
		}
	}
}
