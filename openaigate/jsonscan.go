package openaigate

import "errors"

// objectScanner follows a JSON object as it streams in, one delta at a time,
// to tell the moment it is complete (its closing brace) without re-reading
// what came before. It tracks nesting and strings only; the complete text is
// then parsed in full by encoding/json.
type objectScanner struct {
	started, done bool
	depth         int
	inString      bool
	escaped       bool
}

var (
	errNotObject = errors.New("arguments are not a JSON object")
	errTrailing  = errors.New("text after the end of the arguments object")
)

// feed scans the next piece of text. It reports an error as soon as the
// text cannot be the start of one JSON object.
func (s *objectScanner) feed(text string) error {
	for i := 0; i < len(text); i++ {
		if err := s.step(text[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *objectScanner) step(c byte) error {
	switch {
	case s.done:
		if !isSpace(c) {
			return errTrailing
		}
	case !s.started:
		if c == '{' {
			s.started, s.depth = true, 1
		} else if !isSpace(c) {
			return errNotObject
		}
	case s.inString:
		s.stringByte(c)
	default:
		s.structural(c)
	}
	return nil
}

func (s *objectScanner) stringByte(c byte) {
	switch {
	case s.escaped:
		s.escaped = false
	case c == '\\':
		s.escaped = true
	case c == '"':
		s.inString = false
	}
}

func (s *objectScanner) structural(c byte) {
	switch c {
	case '"':
		s.inString = true
	case '{', '[':
		s.depth++
	case '}', ']':
		s.depth--
		if s.depth == 0 {
			s.done = true
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
