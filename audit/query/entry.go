// Package query reads audit logs back: parse events, filter them, summarize
// them. It is the library behind `policyctl audit tail|query|stats`; it does
// not verify the chain (audit.Verify does).
package query

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// maxLine bounds one line read back (the writer's limit is 4 MiB).
const maxLine = 16 << 20

// Entry is one event as read back from a log.
type Entry struct {
	File string
	Line int
	Raw  []byte // the line as written, without its newline

	Type       string
	Seq        uint64
	EventID    string
	DecisionID string
	Time       time.Time
	Tool       string
	Principal  string

	// Decision events.
	Allow bool
	Codes []string // violation codes, in order

	// Refusals and failed runs.
	ErrorCode    string
	ErrorMessage string

	// Outcome events.
	Duration    time.Duration
	ExitCode    int
	OutputBytes int64
	Truncated   bool
	Killed      string
}

// Refused reports whether a decision event did not let the call run: the
// policy denied it, or it was refused before or after deciding.
func (e *Entry) Refused() bool {
	return e.Type == "decision" && (!e.Allow || e.ErrorCode != "")
}

// wire is the union of the fields read from any event type.
type wire struct {
	Type       string `json:"type"`
	Seq        uint64 `json:"seq"`
	EventID    string `json:"event_id"`
	DecisionID string `json:"decision_id"`
	Timestamp  string `json:"timestamp"`
	Input      struct {
		Tool      struct{ Name string } `json:"tool"`
		Principal struct{ ID string }   `json:"principal"`
	} `json:"input"`
	Result *struct {
		Allow      bool `json:"allow"`
		Violations []struct {
			Code string `json:"code"`
		} `json:"violations"`
	} `json:"result"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Tool        string `json:"tool"`
	Principal   string `json:"principal"`
	DurationNS  int64  `json:"duration_ns"`
	ExitCode    int    `json:"exit_code"`
	OutputBytes int64  `json:"output_bytes"`
	Truncated   bool   `json:"truncated"`
	Killed      string `json:"killed"`
}

// Parse turns one line into an Entry.
func Parse(line []byte) (*Entry, error) {
	var w wire
	if err := json.Unmarshal(line, &w); err != nil {
		return nil, err
	}
	if w.Type == "" {
		return nil, errors.New("no event type")
	}
	e := &Entry{
		Raw: line, Type: w.Type, Seq: w.Seq, EventID: w.EventID, DecisionID: w.DecisionID,
		Tool: w.Tool, Principal: w.Principal, Duration: time.Duration(w.DurationNS),
		ExitCode: w.ExitCode, OutputBytes: w.OutputBytes, Truncated: w.Truncated, Killed: w.Killed,
	}
	e.Time, _ = time.Parse(time.RFC3339Nano, w.Timestamp)
	if w.Input.Tool.Name != "" {
		e.Tool = w.Input.Tool.Name
	}
	if w.Input.Principal.ID != "" {
		e.Principal = w.Input.Principal.ID
	}
	if w.Result != nil {
		e.Allow = w.Result.Allow
		for _, v := range w.Result.Violations {
			e.Codes = append(e.Codes, v.Code)
		}
	}
	if w.Error != nil {
		e.ErrorCode, e.ErrorMessage = w.Error.Code, w.Error.Message
	}
	return e, nil
}

// Read parses every line of r, calling fn for each event. A line that does
// not parse (a torn last line, say) is skipped and counted; fn returning an
// error stops the read.
func Read(r io.Reader, name string, fn func(*Entry) error) (skipped int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	for n := 1; sc.Scan(); n++ {
		raw := append([]byte(nil), sc.Bytes()...)
		e, perr := Parse(raw)
		if perr != nil {
			skipped++
			continue
		}
		e.File, e.Line = name, n
		if err := fn(e); err != nil {
			return skipped, err
		}
	}
	if err := sc.Err(); err != nil {
		return skipped, fmt.Errorf("query: %s: %w", name, err)
	}
	return skipped, nil
}
