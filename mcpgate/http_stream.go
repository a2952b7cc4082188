package mcpgate

import (
	"net/http"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// clientStream is the response to one intercepted POST. It becomes an event
// stream when the server sends something before its response, and stays a
// single JSON body otherwise. Writes after finish are dropped: a tool that
// outlived its timeout cannot write into a finished response.
type clientStream struct {
	mu     sync.Mutex
	w      http.ResponseWriter
	sse    bool
	done   bool
	failed *upstreamFailure
}

// upstreamFailure is an HTTP error of the server, passed to the client as
// it is (a 404 tells the client its session is gone).
type upstreamFailure struct {
	status int
	ctype  string
	body   []byte
}

func (c *clientStream) event(msg jsonrpc.Message) {
	data, err := jsonrpc.EncodeMessage(msg)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.startSSE()
	_ = writeSSE(c.w, "message", data)
	_ = http.NewResponseController(c.w).Flush()
}

func (c *clientStream) startSSE() {
	if c.sse {
		return
	}
	c.sse = true
	c.w.Header().Set("Content-Type", mediaSSE)
	c.w.Header().Set("Cache-Control", "no-cache")
	c.w.WriteHeader(http.StatusOK)
}

func (c *clientStream) fail(status int, h http.Header, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.done && !c.sse {
		c.failed = &upstreamFailure{status: status, ctype: h.Get("Content-Type"), body: body}
	}
}

func (c *clientStream) finish(resp *jsonrpc.Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done = true
	if f := c.failed; f != nil {
		if f.ctype != "" {
			c.w.Header().Set("Content-Type", f.ctype)
		}
		c.w.WriteHeader(f.status)
		_, _ = c.w.Write(f.body)
		return
	}
	data, err := jsonrpc.EncodeMessage(resp)
	if err != nil {
		http.Error(c.w, "toolgate: encode response", http.StatusInternalServerError)
		return
	}
	if c.sse {
		_ = writeSSE(c.w, "message", data)
		_ = http.NewResponseController(c.w).Flush()
		return
	}
	c.w.Header().Set("Content-Type", mediaJSON)
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(data)
}
