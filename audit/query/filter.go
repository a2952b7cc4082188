package query

import (
	"sort"
	"time"
)

// Filter selects events. Zero fields select everything; checkpoints are
// selected only when Types names them.
type Filter struct {
	// Refused keeps only decision events that did not let the call run.
	Refused   bool
	Principal string
	Tool      string
	Since     time.Time
	// Types keeps these event types; empty means decision and outcome.
	Types []string
}

// Match reports whether e passes the filter.
func (f Filter) Match(e *Entry) bool {
	switch {
	case !f.typeOK(e.Type):
		return false
	case f.Refused && !e.Refused():
		return false
	case f.Principal != "" && e.Principal != f.Principal:
		return false
	case f.Tool != "" && e.Tool != f.Tool:
		return false
	case !f.Since.IsZero() && e.Time.Before(f.Since):
		return false
	}
	return true
}

func (f Filter) typeOK(t string) bool {
	if len(f.Types) == 0 {
		return t == "decision" || t == "outcome"
	}
	for _, x := range f.Types {
		if x == t {
			return true
		}
	}
	return false
}

// Stats summarizes decisions and outcomes.
type Stats struct {
	Events      map[string]int        `json:"events"` // by type
	Decisions   int                   `json:"decisions"`
	Allowed     int                   `json:"allowed"`
	Refused     int                   `json:"refused"`
	ByTool      map[string]*Count     `json:"by_tool"`
	ByPrincipal map[string]*Count     `json:"by_principal"`
	ByCode      map[string]int        `json:"by_code"`  // violation codes
	ByError     map[string]int        `json:"by_error"` // refusal and tool error codes
	Killed      map[string]int        `json:"killed"`   // outcome: why the runner stopped a tool
	Outcomes    int                   `json:"outcomes"`
	Durations   map[string]*Durations `json:"durations"` // outcome run time by tool
}

// Count is the decisions of one tool or principal.
type Count struct {
	Decisions int `json:"decisions"`
	Allowed   int `json:"allowed"`
	Refused   int `json:"refused"`
	Outcomes  int `json:"outcomes"`
	Failed    int `json:"failed"` // outcomes with an error or a non-zero exit
}

// Durations sums the run times of one tool's outcomes.
type Durations struct {
	N     int           `json:"n"`
	Total time.Duration `json:"total_ns"`
	Max   time.Duration `json:"max_ns"`
}

// NewStats returns empty Stats.
func NewStats() *Stats {
	return &Stats{
		Events: map[string]int{}, ByTool: map[string]*Count{}, ByPrincipal: map[string]*Count{},
		ByCode: map[string]int{}, ByError: map[string]int{}, Killed: map[string]int{},
		Durations: map[string]*Durations{},
	}
}

// Add counts one event.
func (s *Stats) Add(e *Entry) {
	s.Events[e.Type]++
	switch e.Type {
	case "decision":
		s.addDecision(e)
	case "outcome":
		s.addOutcome(e)
	}
}

func (s *Stats) addDecision(e *Entry) {
	tool, who := count(s.ByTool, e.Tool), count(s.ByPrincipal, e.Principal)
	s.Decisions++
	tool.Decisions++
	who.Decisions++
	if e.Refused() {
		s.Refused++
		tool.Refused++
		who.Refused++
	} else {
		s.Allowed++
		tool.Allowed++
		who.Allowed++
	}
	for _, c := range e.Codes {
		s.ByCode[c]++
	}
	if e.ErrorCode != "" {
		s.ByError[e.ErrorCode]++
	}
}

func (s *Stats) addOutcome(e *Entry) {
	tool, who := count(s.ByTool, e.Tool), count(s.ByPrincipal, e.Principal)
	s.Outcomes++
	tool.Outcomes++
	who.Outcomes++
	if e.ErrorCode != "" || e.ExitCode != 0 {
		tool.Failed++
		who.Failed++
	}
	if e.ErrorCode != "" {
		s.ByError[e.ErrorCode]++
	}
	if e.Killed != "" {
		s.Killed[e.Killed]++
	}
	d := s.Durations[e.Tool]
	if d == nil {
		d = &Durations{}
		s.Durations[e.Tool] = d
	}
	d.N++
	d.Total += e.Duration
	d.Max = max(d.Max, e.Duration)
}

func count(m map[string]*Count, k string) *Count {
	c := m[k]
	if c == nil {
		c = &Count{}
		m[k] = c
	}
	return c
}

// Sorted returns the keys of m, most frequent first, then by name.
func Sorted[V any](m map[string]V, n func(V) int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := n(m[keys[i]]), n(m[keys[j]])
		if a != b {
			return a > b
		}
		return keys[i] < keys[j]
	})
	return keys
}
