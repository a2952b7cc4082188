package mcpgate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// keyFrame is one open object or array while walking a document.
type keyFrame struct {
	seen    map[string]bool // nil for an array
	wantKey bool            // in an object: the next token is a key
}

// uniqueKeys refuses a JSON document with a key twice in one object. A
// decoder keeps the last value and the scan would judge that one, while an
// allowed result goes to the client as sent: a client or a log that keeps
// the first value would see what no rule checked.
func uniqueKeys(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var stack []*keyFrame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var top *keyFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && top.seen != nil {
			if top.wantKey {
				key, _ := tok.(string) // the decoder only yields strings here
				if top.seen[key] {
					return fmt.Errorf("duplicate key %q", key)
				}
				top.seen[key] = true
				top.wantKey = false
				continue
			}
			top.wantKey = true // this token is the value
		}
		if d, ok := tok.(json.Delim); ok {
			f := &keyFrame{}
			if d == '{' {
				f.seen, f.wantKey = map[string]bool{}, true
			}
			stack = append(stack, f)
		}
	}
}
