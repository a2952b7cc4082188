package mcpgate

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"strconv"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// MCP methods the gate acts on; every other method passes through.
const (
	methodCallTool        = "tools/call"
	methodListTools       = "tools/list"
	methodInitialize      = "initialize"
	methodCancelled       = "notifications/cancelled"
	methodToolsListChange = "notifications/tools/list_changed"
)

// internalIDs names the requests the gate itself sends to a server. The
// random prefix keeps them apart from any id a client picks.
type internalIDs struct {
	prefix string
	n      atomic.Int64
}

func newInternalIDs() *internalIDs {
	return &internalIDs{prefix: "toolgate-" + rand.Text()[:12] + "-"}
}

func (g *Gate) nextID() jsonrpc.ID {
	id, _ := jsonrpc.MakeID(g.ids.prefix + strconv.FormatInt(g.ids.n.Add(1), 10)) // a string is always an id
	return id
}

func newCall(id jsonrpc.ID, method string, params any) (*jsonrpc.Request, error) {
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	return &jsonrpc.Request{ID: id, Method: method, Params: raw}, nil
}

func errorResponse(id jsonrpc.ID, code int64, msg string) *jsonrpc.Response {
	return &jsonrpc.Response{ID: id, Error: &jsonrpc.Error{Code: code, Message: msg}}
}

func resultResponse(id jsonrpc.ID, result any) *jsonrpc.Response {
	raw, err := json.Marshal(result)
	if err != nil {
		return errorResponse(id, jsonrpc.CodeInternalError, "toolgate: encode result: "+err.Error())
	}
	return &jsonrpc.Response{ID: id, Result: raw}
}

// decodeClientMessage decodes one message from a client. A response must
// carry a result or an error.
func decodeClientMessage(data []byte) (jsonrpc.Message, error) {
	msg, err := jsonrpc.DecodeMessage(data)
	if err != nil {
		return nil, err
	}
	if r, ok := msg.(*jsonrpc.Response); ok && r.Result == nil && r.Error == nil {
		return nil, errors.New("a response needs a result or an error")
	}
	return msg, nil
}
