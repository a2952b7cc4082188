// Package security_test runs toolgate's attack corpus: every malicious call in
// testdata/malicious must be refused with its expected code, every benign
// call in testdata/benign must be allowed, through the real engine on the
// embedded default policies and a real coordinator.
//
// Corpus format (JSON Lines, one case a line, one file per class):
//
//	testdata/malicious/<class>.jsonl  {"name": "...", "call": {call document}, "code": "expected_code"}
//	testdata/benign/<class>.jsonl     {"name": "...", "call": {call document}}
//
// "code" is a violation code of docs/violation-codes.md, which must be among
// the violations of a deny; or "invalid_input", which means the call is
// refused before the policies run (engine.ParseCall or Check refuse it with
// that error code). A "call" is fed to engine.ParseCall as raw bytes, exactly
// as a caller would send it, so duplicate or unknown keys reach the parser.
//
// A failing malicious case is a finding: either the corpus expectation is
// wrong (fix the case) or the policies or fact builders miss an attack
// (keep the case, fix the policy). Never weaken a case to make it pass.
package security_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
)

// Minimum corpus sizes required by the issue.
const (
	minMalicious = 300
	minBenign    = 150
)

// workspace is the workspace every corpus call is decided against; the
// corpus's absolute in-workspace paths use it.
const workspace = "/srv/work"

// ownDomain is the site's own mail domain in the corpus. The default
// settings cannot know a site's domain (email_domains ships empty, so every
// developer mail is external); the test configures it the way a site does in
// config.yaml, and changes nothing else.
const ownDomain = "acme.example"

// codeInvalidInput is the expected "code" of a call refused before the
// policies run.
const codeInvalidInput = string(coordinator.CodeInvalidInput)

// corpusCase is one line of a corpus file.
type corpusCase struct {
	Name string          `json:"name"`
	Call json.RawMessage `json:"call"`
	Code string          `json:"code"`

	kind  string // "malicious" or "benign"
	class string // file name without .jsonl
	pos   string // file:line, for failure messages
}

func (c corpusCase) malicious() bool { return c.kind == "malicious" }

// maxLineBytes bounds one corpus line; input-validation cases carry calls of
// a few hundred KiB.
const maxLineBytes = 4 << 20

// loadCorpus reads every testdata/<kind>/*.jsonl file. It fails the test on
// any malformed line, duplicate name, unknown code, or a "code" where none
// belongs, so a typo in the corpus cannot silently drop or weaken a case.
func loadCorpus(t *testing.T, kind string, known map[string]bool) []corpusCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", kind, "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no corpus files in testdata/%s", kind)
	}
	var cases []corpusCase
	for _, file := range files {
		cases = append(cases, loadFile(t, kind, file, known)...)
	}
	return cases
}

func loadFile(t *testing.T, kind, file string, known map[string]bool) []corpusCase {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	class := strings.TrimSuffix(filepath.Base(file), ".jsonl")
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	seen := map[string]bool{}
	var cases []corpusCase
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		pos := fmt.Sprintf("%s:%d", file, line)
		var c corpusCase
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s: %v", pos, err)
		}
		c.kind, c.class, c.pos = kind, class, pos
		switch {
		case c.Name == "":
			t.Fatalf("%s: case has no name", pos)
		case seen[c.Name]:
			t.Fatalf("%s: duplicate name %q in %s", pos, c.Name, class)
		case len(c.Call) == 0:
			t.Fatalf("%s: case %q has no call", pos, c.Name)
		case kind == "benign" && c.Code != "":
			t.Fatalf("%s: benign case %q has a code", pos, c.Name)
		case kind == "malicious" && !known[c.Code]:
			t.Fatalf("%s: case %q expects %q, which is not a documented violation code nor %q",
				pos, c.Name, c.Code, codeInvalidInput)
		}
		seen[c.Name] = true
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return cases
}

// knownCodes reads the stable violation codes from docs/violation-codes.md,
// plus invalid_input.
func knownCodes(t *testing.T) map[string]bool {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "violation-codes.md"))
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{codeInvalidInput: true}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllSubmatch(doc, -1) {
		codes[string(m[1])] = true
	}
	if len(codes) < 10 {
		t.Fatalf("found only %d codes in docs/violation-codes.md", len(codes))
	}
	return codes
}

// unthrottled takes tokens through the real in-memory limiter with every
// limit raised. The corpus sends ~200 allowed calls as one developer in one
// session, in parallel; the default limits (e.g. 20 shell.exec a minute)
// would refuse most of them with rate_limited, in an order that depends on
// scheduling. Raising the limits keeps the calls exactly as written (the
// principal and session are part of what the policies decide on, so giving
// each case its own principal would change the cases) while every rate limit
// a decision emits still goes through limits.Memory, which refuses a
// malformed key or period.
//
// The raised limit is not MaxInt32: go-limiter's memorystore refills a
// bucket at each window with per/limit tokens (nanoseconds), capped at limit,
// so a huge limit refills to a handful of tokens after the first window and
// a run longer than a minute would be throttled. raisedLimit refills fully
// for any period of 5s or more.
type unthrottled struct{ m *limits.Memory }

const raisedLimit = 1 << 16

func (u unthrottled) Take(ctx context.Context, rls []engine.RateLimit) (bool, time.Duration, error) {
	raised := make([]engine.RateLimit, len(rls))
	for i, rl := range rls {
		rl.Limit = max(rl.Limit, raisedLimit)
		raised[i] = rl
	}
	return u.m.Take(ctx, raised)
}

var _ coordinator.Limiter = unthrottled{}

// newCoordinator builds the engine on the embedded default policies and a
// coordinator in front of it, as policyctl does with no configuration.
func newCoordinator(t testing.TB) *coordinator.Coordinator {
	t.Helper()
	ps, err := engine.LoadDefault()
	if err != nil {
		t.Fatalf("load embedded policies: %v", err)
	}
	eng, err := engine.New(context.Background(), ps,
		engine.WithWorkspace(workspace),
		engine.WithSettings(map[string]any{"email_domains": []any{ownDomain}}))
	if err != nil {
		t.Fatalf("compile embedded policies: %v", err)
	}
	mem := limits.NewMemory()
	t.Cleanup(func() { _ = mem.Close() })
	c, err := coordinator.New(eng, coordinator.WithLimiter(unthrottled{mem}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// outcome is what one case produced, for the summary.
type outcome struct {
	kind, class string
	pass        bool
	obligations bool
}

type tally struct {
	mu  sync.Mutex
	all []outcome
}

func (t *tally) add(o outcome) {
	t.mu.Lock()
	t.all = append(t.all, o)
	t.mu.Unlock()
}

func TestCorpus(t *testing.T) {
	known := knownCodes(t)
	malicious := loadCorpus(t, "malicious", known)
	benign := loadCorpus(t, "benign", known)
	if len(malicious) < minMalicious {
		t.Errorf("corpus has %d malicious calls, want at least %d", len(malicious), minMalicious)
	}
	if len(benign) < minBenign {
		t.Errorf("corpus has %d benign calls, want at least %d", len(benign), minBenign)
	}

	coord := newCoordinator(t)
	var results tally
	// The group returns only when every parallel case has finished, so the
	// summary below sees all of them.
	t.Run("cases", func(t *testing.T) {
		for _, c := range slices.Concat(malicious, benign) {
			t.Run(c.kind+"/"+c.class+"/"+c.Name, func(t *testing.T) {
				t.Parallel()
				o := outcome{kind: c.kind, class: c.class}
				// Deferred: a failing case ends with t.Fatal (runtime.Goexit).
				defer func() { o.pass = !t.Failed(); results.add(o) }()
				if c.malicious() {
					runMalicious(t, coord, c)
				} else {
					o.obligations = runBenign(t, coord, c)
				}
			})
		}
	})
	t.Log("\n" + summary(results.all))
}

// runMalicious asserts the call is refused: with invalid_input for an
// input-validation case, otherwise denied with the expected violation code.
func runMalicious(t *testing.T, coord *coordinator.Coordinator, c corpusCase) {
	t.Helper()
	call, err := engine.ParseCall(c.Call, engine.Limits{})
	if err != nil {
		if c.Code != codeInvalidInput {
			t.Fatalf("%s: ParseCall refused the call (%v); the case expects a deny with %s", c.pos, err, c.Code)
		}
		if !errors.Is(err, engine.ErrInvalidInput) {
			t.Fatalf("%s: ParseCall error %v does not wrap engine.ErrInvalidInput", c.pos, err)
		}
		return
	}
	d, err := coord.Check(context.Background(), call)
	if err == nil {
		t.Fatalf("%s: ALLOWED, want refusal with %s (decision violations=%s)", c.pos, c.Code, describe(d.Violations))
	}
	var refusal *coordinator.Error
	if !errors.As(err, &refusal) {
		t.Fatalf("%s: Check returned %v, which is not a *coordinator.Error", c.pos, err)
	}
	if d.Allow && refusal.Code == coordinator.CodeDenied {
		t.Errorf("%s: refused as denied but the decision says allow", c.pos)
	}
	if c.Code == codeInvalidInput {
		if refusal.Code != coordinator.CodeInvalidInput {
			t.Fatalf("%s: refused with %s %s, want invalid_input", c.pos, refusal.Code, describe(refusal.Violations))
		}
		return
	}
	if refusal.Code != coordinator.CodeDenied {
		t.Fatalf("%s: refused with %s (%s), want denied with %s", c.pos, refusal.Code, refusal.Message, c.Code)
	}
	if !hasCode(refusal.Violations, c.Code) {
		t.Fatalf("%s: denied, but %s is not among the violations %s", c.pos, c.Code, describe(refusal.Violations))
	}
	if !hasCode(d.Violations, c.Code) {
		t.Errorf("%s: the refusal names %s but the decision does not", c.pos, c.Code)
	}
}

// runBenign asserts the call passes Check with no violation. It reports
// whether the decision carries obligations (require_approval for critical
// tools), which Execute enforces later.
func runBenign(t *testing.T, coord *coordinator.Coordinator, c corpusCase) bool {
	t.Helper()
	call, err := engine.ParseCall(c.Call, engine.Limits{})
	if err != nil {
		t.Fatalf("%s: ParseCall refused a benign call: %v", c.pos, err)
	}
	d, err := coord.Check(context.Background(), call)
	if err != nil {
		var refusal *coordinator.Error
		if errors.As(err, &refusal) {
			t.Fatalf("%s: REFUSED %s: %s %s", c.pos, refusal.Code, refusal.Message, describe(refusal.Violations))
		}
		t.Fatalf("%s: REFUSED: %v", c.pos, err)
	}
	if !d.Allow || len(d.Violations) > 0 {
		t.Fatalf("%s: Check returned no error but allow=%v violations=%s", c.pos, d.Allow, describe(d.Violations))
	}
	return len(d.Obligations) > 0
}

func hasCode(vs []engine.Violation, code string) bool {
	return slices.ContainsFunc(vs, func(v engine.Violation) bool { return v.Code == code })
}

func describe(vs []engine.Violation) string {
	if len(vs) == 0 {
		return "[]"
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%s@%s (%s)", v.Code, v.Field, v.Message)
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// summary renders a per-class table: how many cases each class has and how
// many behaved as the corpus expects.
func summary(all []outcome) string {
	type row struct{ mal, malOK, ben, benOK, obl int }
	rows := map[string]*row{}
	for _, o := range all {
		r := rows[o.class]
		if r == nil {
			r = &row{}
			rows[o.class] = r
		}
		switch o.kind {
		case "malicious":
			r.mal++
			if o.pass {
				r.malOK++
			}
		default:
			r.ben++
			if o.pass {
				r.benOK++
			}
			if o.obligations {
				r.obl++
			}
		}
	}
	classes := make([]string, 0, len(rows))
	for c := range rows {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %10s %8s %8s %8s %12s\n", "class", "malicious", "refused", "benign", "allowed", "w/obligation")
	var tot row
	for _, c := range classes {
		r := rows[c]
		fmt.Fprintf(&b, "%-10s %10d %8d %8d %8d %12d\n", c, r.mal, r.malOK, r.ben, r.benOK, r.obl)
		tot.mal, tot.malOK, tot.ben, tot.benOK, tot.obl = tot.mal+r.mal, tot.malOK+r.malOK, tot.ben+r.ben, tot.benOK+r.benOK, tot.obl+r.obl
	}
	fmt.Fprintf(&b, "%-10s %10d %8d %8d %8d %12d\n", "total", tot.mal, tot.malOK, tot.ben, tot.benOK, tot.obl)
	return b.String()
}
