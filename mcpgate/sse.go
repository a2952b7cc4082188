package mcpgate

import (
	"bytes"
	"errors"
	"io"
	"strings"
)

// sseEvent is one server-sent event of a streamable HTTP response.
type sseEvent struct {
	name string
	data []byte
}

// sseReader reads the events of a text/event-stream body
// (https://html.spec.whatwg.org/multipage/server-sent-events.html). Event
// ids and retry hints are dropped: resuming a stream through toolgate is
// not supported, since a replayed tool result would skip the checks.
type sseReader struct {
	lines *lineReader
}

func newSSEReader(r io.Reader, max int) *sseReader {
	return &sseReader{lines: newLineReader(r, max)}
}

// next returns the next event that carries data.
func (s *sseReader) next() (sseEvent, error) {
	var ev sseEvent
	var data [][]byte
	for {
		line, err := s.lines.line()
		if errors.Is(err, io.EOF) && len(data) > 0 {
			err = nil
			line = nil
		}
		if err != nil {
			return sseEvent{}, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			if len(data) > 0 {
				ev.data = bytes.Join(data, []byte("\n"))
				return ev, nil
			}
			ev = sseEvent{}
			continue
		}
		field, value := splitField(line)
		switch field {
		case "event":
			ev.name = string(value)
		case "data":
			data = append(data, value)
		}
	}
}

func splitField(line []byte) (string, []byte) {
	field, value, found := bytes.Cut(line, []byte(":"))
	if !found {
		return string(line), nil
	}
	return string(field), bytes.TrimPrefix(value, []byte(" "))
}

// writeSSE writes one event; multi-line data becomes several data lines.
func writeSSE(w io.Writer, name string, data []byte) error {
	var b strings.Builder
	if name != "" {
		b.WriteString("event: " + name + "\n")
	}
	for _, l := range bytes.Split(data, []byte("\n")) {
		b.WriteString("data: ")
		b.Write(l)
		b.WriteString("\n")
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
