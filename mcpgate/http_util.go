package mcpgate

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

func decodeBatch(body []byte) ([]jsonrpc.Message, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("empty batch")
	}
	msgs := make([]jsonrpc.Message, len(raws))
	for i, raw := range raws {
		m, err := decodeClientMessage(raw)
		if err != nil {
			return nil, fmt.Errorf("batch element %d: %w", i, err)
		}
		msgs[i] = m
	}
	return msgs, nil
}

// encodeMessages encodes one message, or several as a batch.
func encodeMessages(msgs []jsonrpc.Message) ([]byte, error) {
	raws := make([]json.RawMessage, len(msgs))
	for i, m := range msgs {
		raw, err := jsonrpc.EncodeMessage(m)
		if err != nil {
			return nil, err
		}
		raws[i] = raw
	}
	if len(raws) == 1 {
		return raws[0], nil
	}
	return json.Marshal(raws)
}

// writeRPCError answers an HTTP request with a JSON-RPC error that has no id.
func writeRPCError(w http.ResponseWriter, status int, code int64, msg string) {
	data, _ := jsonrpc.EncodeMessage(errorResponse(jsonrpc.ID{}, code, msg))
	w.Header().Set("Content-Type", mediaJSON)
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func mediaType(h http.Header) string {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt
}

// hopHeaders are not copied to the upstream request: connection-level
// headers, the body length (the body is re-encoded), and the caller's
// credentials for toolgate.
var hopHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Te": true, "Trailer": true,
	"Transfer-Encoding": true, "Upgrade": true, "Content-Length": true, "Host": true,
	"Authorization": true, "Cookie": true, "Accept-Encoding": true, "Last-Event-Id": true,
}

func copyHeaders(dst, src http.Header) {
	for k, vs := range src {
		if hopHeaders[http.CanonicalHeaderKey(k)] {
			continue
		}
		for _, v := range vs {
			dst.Add(k, v)
		}
	}
}
