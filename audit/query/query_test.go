package query

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// golden is the reference log of package audit: 6 decisions (3 refused),
// 3 outcomes, 4 checkpoints.
const golden = "../testdata/verify/valid.jsonl"

func readGolden(t *testing.T, f Filter) []*Entry {
	t.Helper()
	file, err := os.Open(golden)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = file.Close() }()
	var out []*Entry
	skipped, err := Read(file, "valid.jsonl", func(e *Entry) error {
		if f.Match(e) {
			out = append(out, e)
		}
		return nil
	})
	if err != nil || skipped != 0 {
		t.Fatalf("read: %v, %d skipped", err, skipped)
	}
	return out
}

func decisionIDs(es []*Entry) []string {
	var ids []string
	for _, e := range es {
		ids = append(ids, e.Type[:1]+":"+e.DecisionID)
	}
	return ids
}

func TestFilters(t *testing.T) {
	since := time.Date(2026, 11, 26, 10, 0, 16, 0, time.UTC)
	cases := []struct {
		name string
		f    Filter
		want []string
	}{
		{"default types", Filter{}, []string{"d:d-1", "o:d-1", "d:d-2", "d:d-3", "d:d-4", "o:d-4", "d:d-5", "d:d-6", "o:d-6"}},
		{"refused", Filter{Refused: true}, []string{"d:d-2", "d:d-3", "d:d-5"}},
		{"principal", Filter{Principal: "bob"}, []string{"d:d-2"}},
		{"tool", Filter{Tool: "shell.exec"}, []string{"d:d-4", "o:d-4"}},
		{"since", Filter{Since: since}, []string{"d:d-5", "d:d-6", "o:d-6"}},
		{"refused tool", Filter{Refused: true, Tool: "http.get"}, []string{"d:d-3"}},
		{"checkpoints", Filter{Types: []string{"checkpoint"}}, []string{"c:", "c:", "c:", "c:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := decisionIDs(readGolden(t, c.f)); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	es := readGolden(t, Filter{Tool: "shell.exec"})
	d, o := es[0], es[1]
	if d.Seq != 7 || !d.Allow || d.Principal != "alice" || d.Line != 7 || d.File != "valid.jsonl" {
		t.Fatalf("decision %+v", d)
	}
	if o.Killed != "timeout" || o.ExitCode != -1 || o.Duration != 10*time.Second || o.ErrorCode != "sandbox_violation" {
		t.Fatalf("outcome %+v", o)
	}
	denied := readGolden(t, Filter{Principal: "bob"})[0]
	if !reflect.DeepEqual(denied.Codes, []string{"path_traversal"}) || denied.ErrorCode != "denied" || !denied.Refused() {
		t.Fatalf("denied %+v", denied)
	}
}

func TestStats(t *testing.T) {
	st := NewStats()
	for _, e := range readGolden(t, Filter{Types: []string{"decision", "outcome", "checkpoint"}}) {
		st.Add(e)
	}
	if st.Decisions != 6 || st.Allowed != 3 || st.Refused != 3 || st.Outcomes != 3 || st.Events["checkpoint"] != 4 {
		t.Fatalf("totals %+v", st)
	}
	if got := *st.ByTool["http.get"]; got != (Count{Decisions: 3, Allowed: 2, Refused: 1, Outcomes: 2}) {
		t.Fatalf("http.get %+v", got)
	}
	if got := *st.ByPrincipal["alice"]; got != (Count{Decisions: 4, Allowed: 3, Refused: 1, Outcomes: 3, Failed: 1}) {
		t.Fatalf("alice %+v", got)
	}
	wantErr := map[string]int{"denied": 1, "rate_limited": 1, "invalid_input": 1, "sandbox_violation": 1}
	if !reflect.DeepEqual(st.ByError, wantErr) || st.ByCode["path_traversal"] != 1 || st.Killed["timeout"] != 1 {
		t.Fatalf("codes %v %v %v", st.ByError, st.ByCode, st.Killed)
	}
	if d := st.Durations["shell.exec"]; d.N != 1 || d.Max != 10*time.Second {
		t.Fatalf("durations %+v", d)
	}
	if got := Sorted(st.ByPrincipal, func(c *Count) int { return c.Decisions }); !reflect.DeepEqual(got, []string{"alice", "bob", "carol"}) {
		t.Fatalf("sorted %q", got)
	}
}

func TestReadSkipsUnparseableLines(t *testing.T) {
	in := `{"type":"decision","seq":1}` + "\nnot json\n" + `{"type":"outcome","seq":2,"tool":"x"}` + "\n" + `{"type":"deci`
	var n int
	skipped, err := Read(strings.NewReader(in), "x", func(*Entry) error { n++; return nil })
	if err != nil || skipped != 2 || n != 2 {
		t.Fatalf("read %d, skipped %d, %v", n, skipped, err)
	}
}
