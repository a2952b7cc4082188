package mcpgate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/toolgate/toolgate/engine"
)

// Stdio is one MCP stdio session through a gate: the client's side (the
// proxy's own stdin and stdout) and the server's side (the pipes of the
// server process).
type Stdio struct {
	Principal engine.Principal
	ClientIn  io.Reader // what the client sends
	ClientOut io.Writer // what the client reads
	ServerIn  io.Writer // the server's stdin; closed when the client is done, if it is an io.Closer
	ServerOut io.Reader // the server's stdout
	// MaxMessageBytes bounds one message (default DefaultMaxMessageBytes).
	MaxMessageBytes int
}

// serverDrainTimeout is how long ServeStdio waits, once the client is done
// and the server's input closed, for the server's output to end.
const serverDrainTimeout = 5 * time.Second

// ErrServerClosed is returned when the server's side ends first.
var ErrServerClosed = errors.New("mcpgate: the server closed its output")

// ServeStdio relays one stdio session until the client closes its input (it
// then closes the server's input and waits for the server's output to end),
// the server's output ends, or ctx ends. Tool calls and lists are checked; every other
// message passes through. Malformed messages from the client are answered
// with a JSON-RPC error, malformed messages from the server are dropped.
func (g *Gate) ServeStdio(ctx context.Context, s Stdio) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := newRelay(g, s)
	serverDone := make(chan error, 1)
	go func() { serverDone <- r.serverLoop(ctx) }()
	clientDone := make(chan error, 1)
	go func() { clientDone <- r.clientLoop(ctx) }()
	select {
	case err := <-clientDone:
		r.calls.Wait()
		if c, ok := s.ServerIn.(io.Closer); ok {
			_ = c.Close()
		}
		select { // the server's last words, if it ends in time; the client's error is the one to report
		case serverErr := <-serverDone:
			_ = serverErr
		case <-time.After(serverDrainTimeout):
		}
		return err
	case err := <-serverDone:
		cancel()
		r.calls.Wait()
		if err == nil {
			err = ErrServerClosed
		}
		return err
	case <-ctx.Done():
		r.calls.Wait()
		if c, ok := s.ServerIn.(io.Closer); ok {
			_ = c.Close()
		}
		return ctx.Err()
	}
}

// relay is the state of one stdio session.
type relay struct {
	g       *Gate
	sess    Session
	client  *lineWriter
	server  *lineWriter
	in      *lineReader
	out     *lineReader
	calls   sync.WaitGroup
	closed  chan struct{} // closed when the server's output ends
	mu      sync.Mutex
	waiters map[jsonrpc.ID]chan *jsonrpc.Response // forwarded tools/call and the gate's own requests
	lists   map[jsonrpc.ID]bool                   // client tools/list requests
	pending map[jsonrpc.ID]bool                   // other client requests forwarded
	checks  map[jsonrpc.ID]context.CancelFunc     // tools/call being handled
}

func newRelay(g *Gate, s Stdio) *relay {
	r := &relay{
		g:       g,
		client:  &lineWriter{w: s.ClientOut},
		server:  &lineWriter{w: s.ServerIn},
		in:      newLineReader(s.ClientIn, s.MaxMessageBytes),
		out:     newLineReader(s.ServerOut, s.MaxMessageBytes),
		closed:  make(chan struct{}),
		waiters: map[jsonrpc.ID]chan *jsonrpc.Response{},
		lists:   map[jsonrpc.ID]bool{},
		pending: map[jsonrpc.ID]bool{},
		checks:  map[jsonrpc.ID]context.CancelFunc{},
	}
	r.sess = Session{Principal: s.Principal, Forward: r.forward}
	return r
}

// forward sends req to the server and waits for its response. When ctx ends
// first the server is told to cancel the request.
func (r *relay) forward(ctx context.Context, req *jsonrpc.Request) (*jsonrpc.Response, error) {
	ch := make(chan *jsonrpc.Response, 1)
	r.mu.Lock()
	if _, busy := r.waiters[req.ID]; busy {
		r.mu.Unlock()
		return nil, fmt.Errorf("request id %v is already in flight", req.ID.Raw())
	}
	r.waiters[req.ID] = ch
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.waiters, req.ID)
		r.mu.Unlock()
	}()
	if err := r.server.write(req); err != nil {
		return nil, fmt.Errorf("write to server: %w", err)
	}
	select {
	case resp := <-ch:
		return resp, nil
	case <-ctx.Done():
		r.cancelOnServer(req.ID, ctx.Err())
		return nil, ctx.Err()
	case <-r.closed:
		return nil, ErrServerClosed
	}
}

func (r *relay) cancelOnServer(id jsonrpc.ID, cause error) {
	n, err := newCall(jsonrpc.ID{}, methodCancelled, map[string]any{"requestId": id.Raw(), "reason": "toolgate: " + cause.Error()})
	if err == nil {
		_ = r.server.write(n)
	}
}

// reply writes to the client; a write error ends nothing here, the client
// loop sees the broken pipe.
func (r *relay) reply(msg jsonrpc.Message) {
	if err := r.client.write(msg); err != nil {
		r.g.log.Warn().Err(err).Msg("write to client failed")
	}
}
