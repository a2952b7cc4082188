package mcpgate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/toolgate/toolgate/engine"
)

// maxErrorBody bounds an upstream error body passed back to the client.
const maxErrorBody = 64 << 10

type requestHandler func(ctx context.Context, s Session, req *jsonrpc.Request) *jsonrpc.Response

// intercept answers a tools/call or tools/list POST through the gate.
func (h *HTTPProxy) intercept(w http.ResponseWriter, r *http.Request, p engine.Principal, req *jsonrpc.Request, handle requestHandler) {
	out := &clientStream{w: w}
	s := Session{Principal: p, ID: r.Header.Get(headerSessionID), Forward: h.forwarder(r, out, req.ID)}
	out.finish(handle(r.Context(), s, req))
}

func (h *HTTPProxy) listTools(ctx context.Context, s Session, req *jsonrpc.Request) *jsonrpc.Response {
	resp, err := s.Forward(ctx, req)
	if err != nil {
		return errorResponse(req.ID, jsonrpc.CodeInternalError, "toolgate: the server could not list its tools")
	}
	return h.gate.FilterList(ctx, s.Principal, resp)
}

// forwarder POSTs requests upstream with the caller's MCP headers. Events
// that come before the response on the client's own request are relayed to
// the client; those of the gate's own requests are dropped.
func (h *HTTPProxy) forwarder(r *http.Request, out *clientStream, clientID jsonrpc.ID) Forward {
	return func(ctx context.Context, req *jsonrpc.Request) (*jsonrpc.Response, error) {
		relay := out
		if req.ID != clientID {
			relay = nil
		}
		body, err := jsonrpc.EncodeMessage(req)
		if err != nil {
			return nil, err
		}
		up, err := http.NewRequestWithContext(ctx, http.MethodPost, h.upstream.String(), bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		copyHeaders(up.Header, r.Header)
		resp, err := h.client.Do(up)
		if err != nil {
			return nil, fmt.Errorf("upstream: %w", err)
		}
		defer func() { _ = resp.Body.Close() }()
		return h.readUpstream(resp, req.ID, relay)
	}
}

func (h *HTTPProxy) readUpstream(resp *http.Response, id jsonrpc.ID, relay *clientStream) (*jsonrpc.Response, error) {
	if resp.StatusCode/100 != 2 {
		if relay != nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
			relay.fail(resp.StatusCode, resp.Header, body)
		}
		return nil, fmt.Errorf("upstream answered HTTP %d", resp.StatusCode)
	}
	switch mediaType(resp.Header) {
	case mediaJSON:
		return readJSONResponse(resp.Body, id, h.maxBody)
	case mediaSSE:
		return h.readStream(resp.Body, id, relay)
	default:
		return nil, fmt.Errorf("upstream answered with content type %q", resp.Header.Get("Content-Type"))
	}
}

func readJSONResponse(body io.Reader, id jsonrpc.ID, max int64) (*jsonrpc.Response, error) {
	data, err := io.ReadAll(io.LimitReader(body, max+1))
	if err != nil {
		return nil, fmt.Errorf("upstream body: %w", err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("upstream response larger than %d bytes", max)
	}
	msg, err := jsonrpc.DecodeMessage(data)
	if err != nil {
		return nil, fmt.Errorf("upstream response: %w", err)
	}
	resp, ok := msg.(*jsonrpc.Response)
	if !ok || resp.ID != id {
		return nil, fmt.Errorf("upstream answered with something other than the response to %v", id.Raw())
	}
	return resp, nil
}

// readStream reads an upstream event stream up to the response to id.
// Requests and notifications on the way are relayed; responses to other
// requests are dropped, since they would skip the checks.
func (h *HTTPProxy) readStream(body io.Reader, id jsonrpc.ID, relay *clientStream) (*jsonrpc.Response, error) {
	events := newSSEReader(body, int(h.maxBody))
	for {
		ev, err := events.next()
		if err != nil {
			return nil, fmt.Errorf("upstream stream ended before the response: %w", err)
		}
		msg, err := jsonrpc.DecodeMessage(ev.data)
		if err != nil {
			h.gate.log.Warn().Err(err).Msg("dropped a malformed event from the server")
			continue
		}
		switch m := msg.(type) {
		case *jsonrpc.Response:
			if m.ID == id {
				return m, nil
			}
		case *jsonrpc.Request:
			if m.Method == methodToolsListChange {
				h.gate.ForgetTools()
			}
			if relay != nil {
				relay.event(m)
			}
		}
	}
}
