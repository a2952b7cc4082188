package mcpgate

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// clientLoop reads the client's messages until its input ends.
func (r *relay) clientLoop(ctx context.Context) error {
	for {
		line, err := r.in.next()
		switch {
		case errors.Is(err, errTooLarge):
			r.reply(errorResponse(jsonrpc.ID{}, jsonrpc.CodeInvalidRequest, "toolgate: message too large"))
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
		msg, err := decodeClientMessage(line)
		if err != nil {
			r.reply(malformed(line, err))
			continue
		}
		r.fromClient(ctx, msg)
	}
}

// malformed is the answer to a message that is not JSON-RPC.
func malformed(line []byte, err error) *jsonrpc.Response {
	return &jsonrpc.Response{Error: malformedError(line, err)}
}

func malformedError(line []byte, err error) *jsonrpc.Error {
	switch {
	case len(line) > 0 && line[0] == '[':
		return &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: "toolgate: JSON-RPC batches are not supported"}
	case !json.Valid(line):
		return &jsonrpc.Error{Code: jsonrpc.CodeParseError, Message: "toolgate: parse error"}
	default:
		return &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: "toolgate: invalid request: " + err.Error()}
	}
}

func (r *relay) fromClient(ctx context.Context, msg jsonrpc.Message) {
	req, ok := msg.(*jsonrpc.Request)
	if !ok {
		r.toServer(msg) // the client answers a server request
		return
	}
	switch req.Method {
	case methodCallTool:
		r.startCall(ctx, req)
		return
	case methodInitialize:
		r.sess.Agent = clientName(req.Params)
	case methodCancelled:
		r.cancelCheck(req.Params)
	}
	switch {
	case req.IsCall() && req.Method == methodListTools:
		r.track(r.lists, req.ID)
	case req.IsCall():
		r.track(r.pending, req.ID)
	}
	r.toServer(req)
}

func (r *relay) track(m map[jsonrpc.ID]bool, id jsonrpc.ID) {
	r.mu.Lock()
	m[id] = true
	r.mu.Unlock()
}

func (r *relay) toServer(msg jsonrpc.Message) {
	if err := r.server.write(msg); err != nil {
		r.g.log.Warn().Err(err).Msg("write to server failed")
	}
}

// startCall checks and forwards one tools/call in its own goroutine, so a
// slow tool does not hold up the session.
func (r *relay) startCall(ctx context.Context, req *jsonrpc.Request) {
	if !req.IsCall() {
		r.g.log.Warn().Msg("dropped a tools/call notification: it has no id to answer")
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	r.mu.Lock()
	_, busy := r.checks[req.ID]
	if !busy {
		r.checks[req.ID] = cancel
	}
	r.mu.Unlock()
	if busy {
		cancel()
		r.reply(errorResponse(req.ID, jsonrpc.CodeInvalidRequest, "toolgate: request id already in use"))
		return
	}
	sess := r.sess // a copy: the client loop may see a later initialize
	r.calls.Add(1)
	go func() {
		defer r.calls.Done()
		defer func() {
			r.mu.Lock()
			delete(r.checks, req.ID)
			r.mu.Unlock()
			cancel()
		}()
		r.reply(r.g.CallTool(ctx, sess, req))
	}()
}

// cancelCheck stops a tools/call the client cancelled while toolgate still
// handles it; the notification is forwarded as well.
func (r *relay) cancelCheck(params json.RawMessage) {
	var p struct {
		RequestID any `json:"requestId"`
	}
	if json.Unmarshal(params, &p) != nil {
		return
	}
	id, err := jsonrpc.MakeID(p.RequestID)
	if err != nil {
		return
	}
	r.mu.Lock()
	cancel := r.checks[id]
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

func clientName(params json.RawMessage) string {
	var p struct {
		ClientInfo struct {
			Name string `json:"name"`
		} `json:"clientInfo"`
	}
	_ = json.Unmarshal(params, &p)
	return p.ClientInfo.Name
}

// serverLoop reads the server's messages until its output ends.
func (r *relay) serverLoop(ctx context.Context) error {
	defer close(r.closed)
	for {
		line, err := r.out.next()
		switch {
		case errors.Is(err, errTooLarge):
			r.g.log.Warn().Msg("dropped an oversized message from the server")
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
		msg, err := jsonrpc.DecodeMessage(line)
		if err != nil {
			r.g.log.Warn().Err(err).Msg("dropped a malformed message from the server")
			continue
		}
		r.fromServer(ctx, msg)
	}
}

func (r *relay) fromServer(ctx context.Context, msg jsonrpc.Message) {
	resp, ok := msg.(*jsonrpc.Response)
	if !ok {
		if req := msg.(*jsonrpc.Request); req.Method == methodToolsListChange {
			r.g.ForgetTools()
		}
		r.reply(msg)
		return
	}
	r.mu.Lock()
	waiter := r.waiters[resp.ID]
	list, pending := r.lists[resp.ID], r.pending[resp.ID]
	delete(r.waiters, resp.ID)
	delete(r.lists, resp.ID)
	delete(r.pending, resp.ID)
	r.mu.Unlock()
	switch {
	case waiter != nil:
		waiter <- resp
	case list:
		r.reply(r.g.FilterList(ctx, r.sess.Principal, resp))
	case pending:
		r.reply(resp)
	default:
		r.g.log.Warn().Interface("id", resp.ID.Raw()).Msg("dropped a response to no request the client sent")
	}
}
