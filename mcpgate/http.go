package mcpgate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/toolgate/toolgate/engine"
)

// DefaultMaxBodyBytes bounds one POSTed MCP message.
const DefaultMaxBodyBytes = 4 << 20

// Headers of the streamable HTTP transport.
const (
	headerSessionID   = "Mcp-Session-Id"
	headerLastEventID = "Last-Event-ID"
	mediaJSON         = "application/json"
	mediaSSE          = "text/event-stream"
)

// PrincipalFunc says who sent an HTTP request.
type PrincipalFunc func(*http.Request) (engine.Principal, error)

// HTTPProxy serves MCP's streamable HTTP transport in front of an upstream
// MCP endpoint. tools/call and tools/list POSTs are checked and answered by
// the proxy; everything else (initialize, other methods, the GET event
// stream, DELETE) is relayed as it is.
type HTTPProxy struct {
	gate      *Gate
	upstream  *url.URL
	client    *http.Client
	relay     *httputil.ReverseProxy
	principal PrincipalFunc
	maxBody   int64
}

// HTTPOption configures an HTTPProxy.
type HTTPOption func(*HTTPProxy) error

// WithHTTPClient sets the client used to reach the upstream server.
func WithHTTPClient(c *http.Client) HTTPOption {
	return func(h *HTTPProxy) error { h.client = c; return nil }
}

// WithMaxBodyBytes bounds a POSTed message (default DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int64) HTTPOption {
	return func(h *HTTPProxy) error {
		if n <= 0 {
			return errors.New("mcpgate: max body bytes must be positive")
		}
		h.maxBody = n
		return nil
	}
}

// NewHTTPProxy returns a proxy to the MCP endpoint at upstream. principal
// names the caller of each request (see StaticPrincipal and
// TokenPrincipal).
func NewHTTPProxy(g *Gate, upstream string, principal PrincipalFunc, opts ...HTTPOption) (*HTTPProxy, error) {
	u, err := url.Parse(upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mcpgate: upstream %q is not an http(s) URL", upstream)
	}
	if g == nil || principal == nil {
		return nil, errors.New("mcpgate: an HTTP proxy needs a gate and a principal function")
	}
	h := &HTTPProxy{gate: g, upstream: u, client: http.DefaultClient, principal: principal, maxBody: DefaultMaxBodyBytes}
	for _, o := range opts {
		if err := o(h); err != nil {
			return nil, err
		}
	}
	h.relay = &httputil.ReverseProxy{
		Rewrite:       h.rewrite,
		FlushInterval: -1, // event streams are flushed as they come
		Transport:     h.client.Transport,
	}
	return h, nil
}

// rewrite points a relayed request at the upstream endpoint and drops the
// caller's own credentials: they authenticate the caller to toolgate, not
// to the server.
func (h *HTTPProxy) rewrite(pr *httputil.ProxyRequest) {
	target := *h.upstream
	pr.Out.URL = &target
	pr.Out.Host = ""
	pr.Out.Header.Del("Authorization")
	pr.Out.Header.Del("Cookie")
}

// ServeHTTP implements http.Handler. Every request must name its principal;
// one that cannot is refused with 401 before anything reaches the server.
func (h *HTTPProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := h.principal(r)
	if err != nil {
		h.gate.log.Warn().Err(err).Str("remote", r.RemoteAddr).Msg("unauthenticated MCP request")
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeRPCError(w, http.StatusUnauthorized, jsonrpc.CodeInvalidRequest, "toolgate: authentication required")
		return
	}
	switch {
	case r.Method == http.MethodPost:
		h.post(w, r, p)
	case r.Header.Get(headerLastEventID) != "":
		http.Error(w, "toolgate: resuming an event stream is not supported", http.StatusBadRequest)
	default:
		h.relay.ServeHTTP(w, r)
	}
}

func (h *HTTPProxy) post(w http.ResponseWriter, r *http.Request, p engine.Principal) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeRPCError(w, http.StatusRequestEntityTooLarge, jsonrpc.CodeInvalidRequest, "toolgate: message too large")
			return
		}
		http.Error(w, "toolgate: cannot read the request body", http.StatusBadRequest)
		return
	}
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		h.postBatch(w, r, body)
		return
	}
	msg, err := decodeClientMessage(body)
	if err != nil {
		e := malformedError(body, err)
		writeRPCError(w, http.StatusBadRequest, e.Code, e.Message)
		return
	}
	req, isReq := msg.(*jsonrpc.Request)
	switch {
	case isReq && req.Method == methodCallTool && !req.IsCall():
		w.WriteHeader(http.StatusAccepted) // a notification cannot be answered; it is dropped
	case isReq && req.Method == methodCallTool:
		h.intercept(w, r, p, req, h.gate.CallTool)
	case isReq && req.Method == methodListTools && req.IsCall():
		h.intercept(w, r, p, req, h.listTools)
	default:
		h.relayMessages(w, r, msg)
	}
}

// postBatch relays a JSON-RPC batch (protocol 2025-03-26) unless it holds a
// tool call or list, which toolgate only handles one per request.
func (h *HTTPProxy) postBatch(w http.ResponseWriter, r *http.Request, body []byte) {
	msgs, err := decodeBatch(body)
	if err != nil {
		writeRPCError(w, http.StatusBadRequest, jsonrpc.CodeParseError, "toolgate: "+err.Error())
		return
	}
	for _, m := range msgs {
		if req, ok := m.(*jsonrpc.Request); ok && (req.Method == methodCallTool || req.Method == methodListTools) {
			writeRPCError(w, http.StatusBadRequest, jsonrpc.CodeInvalidRequest,
				"toolgate: send tools/call and tools/list one per request, not in a batch")
			return
		}
	}
	h.relayMessages(w, r, msgs...)
}

// relayMessages forwards messages re-encoded from what toolgate decoded, so
// the server reads exactly what toolgate read.
func (h *HTTPProxy) relayMessages(w http.ResponseWriter, r *http.Request, msgs ...jsonrpc.Message) {
	body, err := encodeMessages(msgs)
	if err != nil {
		writeRPCError(w, http.StatusBadRequest, jsonrpc.CodeInvalidRequest, "toolgate: "+err.Error())
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Del("Content-Length")
	h.relay.ServeHTTP(w, r)
}
