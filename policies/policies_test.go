package policies_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/toolgate/toolgate/internal/regotest"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/policies"
)

// minCoverage is the Rego line coverage the default bundle must keep.
const minCoverage = 100.0

// load reads the embedded bundle the way the OPA CLI reads the policies directory.
func load(t testing.TB) (*loader.Result, storage.Store) {
	t.Helper()
	res, err := loader.NewFileLoader().
		WithFS(policies.FS()).
		WithRegoVersion(ast.RegoV1).
		WithProcessAnnotation(true).
		All([]string{policies.Root})
	if err != nil {
		t.Fatalf("load embedded bundle: %v", err)
	}
	return res, inmem.NewFromObjectWithOpts(res.Documents, inmem.OptReturnASTValuesOnRead(true))
}

func modules(res *loader.Result, withTests bool) map[string]*ast.Module {
	mods := map[string]*ast.Module{}
	for name, m := range res.Modules {
		if !withTests && strings.HasSuffix(name, "_test.rego") {
			continue
		}
		mods[name] = m.Parsed
	}
	return mods
}

// TestRego runs every test_ rule of the bundle (what `opa test --coverage
// policies/` runs, through the same runner as policyctl test, with builtin
// errors raised as the engine raises them) and fails below minCoverage.
func TestRego(t *testing.T) {
	var out strings.Builder
	rep, err := regotest.Run(context.Background(), []string{"."},
		regotest.Options{Timeout: time.Minute}, &out)
	if err != nil {
		t.Fatalf("run rego tests: %v", err)
	}
	if !rep.OK() {
		t.Fatalf("rego tests: %d passed, %d failed, %d errors\n%s", rep.Passed, rep.Failed, rep.Errored, out.String())
	}
	if rep.Coverage < minCoverage {
		t.Errorf("rego coverage %.2f%% < %.0f%%; not covered:\n  %s", rep.Coverage, minCoverage, strings.Join(rep.Uncovered, "\n  "))
	}
	t.Logf("%d rego tests, coverage %.2f%%", rep.Passed, rep.Coverage)
}

type docRow struct{ severity, pkg string }

// docCodes reads the table of docs/violation-codes.md.
func docCodes(t *testing.T) map[string]docRow {
	t.Helper()
	f, err := os.Open("../docs/violation-codes.md")
	if err != nil {
		t.Fatalf("open violation codes doc: %v", err)
	}
	defer func() { _ = f.Close() }()
	row := regexp.MustCompile("^\\| `([a-z_]+)` \\| ([a-z]+) \\| `([a-z_.]+)` \\|")
	out := map[string]docRow{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := row.FindStringSubmatch(sc.Text()); m != nil {
			out[m[1]] = docRow{severity: m[2], pkg: m[3]}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no codes found in docs/violation-codes.md")
	}
	return out
}

// TestViolationCodes checks that every violation rule carries METADATA with
// custom.code and custom.severity, that the violation object it builds uses the
// same code and severity, and that code, severity and package agree with
// docs/violation-codes.md in both directions.
func TestViolationCodes(t *testing.T) {
	res, _ := load(t)
	doc := docCodes(t)
	seen := map[string]bool{}

	for name, mod := range modules(res, false) {
		pkg := strings.TrimPrefix(mod.Package.Path.String(), "data.")
		for _, rule := range mod.Rules {
			// "violations contains v if ..." in a concern package, or any
			// rule that declares a code (authz.found, fs.shell_violations);
			// the aggregate in package toolgate is a complete rule.
			named := rule.Head.Ref().String() == "violations" && rule.Head.RuleKind() == ast.MultiValue
			if !named && !declaresCode(rule) {
				continue
			}
			where := fmt.Sprintf("%s:%d", path.Base(name), rule.Location.Row)
			var code, severity string
			for _, a := range rule.Annotations {
				if a.Scope != "rule" {
					continue
				}
				code, _ = a.Custom["code"].(string)
				severity, _ = a.Custom["severity"].(string)
			}
			if code == "" || severity == "" {
				t.Errorf("%s: violation rule without METADATA custom.code and custom.severity", where)
				continue
			}
			seen[code] = true
			gotCode, gotSev := literalCodeSeverity(rule)
			if gotCode != code || gotSev != severity {
				t.Errorf("%s: METADATA says %s/%s, the rule builds %s/%s", where, code, severity, gotCode, gotSev)
			}
			d, ok := doc[code]
			switch {
			case !ok:
				t.Errorf("%s: code %q is not in docs/violation-codes.md", where, code)
			case d.severity != severity || d.pkg != pkg:
				t.Errorf("%s: code %q is %s in %s, the doc says %s in %s", where, code, severity, pkg, d.severity, d.pkg)
			}
		}
	}
	for code := range doc {
		if !seen[code] {
			t.Errorf("docs/violation-codes.md lists %q but no policy raises it", code)
		}
	}
}

func declaresCode(rule *ast.Rule) bool {
	for _, a := range rule.Annotations {
		if _, ok := a.Custom["code"]; ok && a.Scope == "rule" {
			return true
		}
	}
	return false
}

// literalCodeSeverity finds the violation object a rule builds ({"code": ...,
// "severity": ...}) and returns its constant code and severity.
func literalCodeSeverity(rule *ast.Rule) (code, severity string) {
	ast.WalkTerms(rule.Body, func(term *ast.Term) bool {
		obj, ok := term.Value.(ast.Object)
		if !ok {
			return false
		}
		c, sv := obj.Get(ast.StringTerm("code")), obj.Get(ast.StringTerm("severity"))
		if c == nil || sv == nil {
			return false
		}
		if s, ok := c.Value.(ast.String); ok {
			code = string(s)
		}
		if s, ok := sv.Value.(ast.String); ok {
			severity = string(s)
		}
		return true
	})
	return code, severity
}

// prepare compiles the decision query the way the engine does: strict
// compilation, without the test modules.
func prepare(t testing.TB) *engine.Engine {
	t.Helper()
	ps, err := engine.LoadDefault()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	eng, err := engine.New(context.Background(), ps)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	return eng
}

// contractInputs are calls of every kind, including malformed ones: the decision
// must be defined and complete for all of them.
var contractInputs = map[string]string{
	"empty":       `{}`,
	"wrong types": `{"tool": {"name": 7, "arguments": []}, "principal": {"id": 1, "roles": "admin", "tenant": 3}, "session": {"id": 5}, "environment": {"workspace": 9}, "facts": {"paths": [], "shell": "x", "secrets": {}}}`,
	"odd types":   `{"tool": {"name": "fs.read_file", "arguments": {"path": 7}}, "principal": {"id": "alice", "roles": ["developer"], "tenant": 3}, "session": {"id": 5}, "environment": {"workspace": "/srv/work"}, "facts": {"paths": {"arguments.path": {"ok": "yes"}}, "secrets": []}}`,
	"read":        readInput,
	"shell":       shellInput,
	"fetch":       fetchInput,
}

const readInput = `{
  "tool": {"name": "fs.read_file", "arguments": {"path": "notes/todo.md"}},
  "principal": {"id": "alice", "roles": ["developer"], "tenant": "acme"},
  "session": {"id": "s-42"}, "request": {}, "environment": {"workspace": "/srv/work"},
  "facts": {"paths": {"arguments.path": {"ok": true, "raw": "notes/todo.md", "decoded": "notes/todo.md",
    "clean": "/srv/work/notes/todo.md", "real": "/srv/work/notes/todo.md", "inside_workspace": true,
    "dotdot": false, "encoded": false, "nul": false, "base": "todo.md"}}, "secrets": []}
}`

const shellInput = `{
  "tool": {"name": "shell.exec", "arguments": {"command": "cd src && grep -rn TODO . | head -20 > /tmp/todo.txt"}},
  "principal": {"id": "alice", "roles": ["developer"], "tenant": "acme"},
  "session": {"id": "s-42"}, "request": {}, "environment": {"workspace": "/srv/work"},
  "facts": {"shell": {"arguments.command": {"ok": true,
    "commands": [{"name": "cd", "argv0": "cd", "args": ["src"], "dynamic": false},
                 {"name": "grep", "argv0": "grep", "args": ["-rn", "TODO", "."], "dynamic": false},
                 {"name": "head", "argv0": "head", "args": ["-20"], "dynamic": false}],
    "pipelines": [["grep", "head"]], "redirects": [{"op": ">", "target": "/tmp/todo.txt"}], "features": []}},
    "secrets": []}
}`

const fetchInput = `{
  "tool": {"name": "fetch", "server": "fetch", "arguments": {"url": "https://docs.example.com/guide?x=1"}},
  "principal": {"id": "alice", "roles": ["developer"], "tenant": "acme"},
  "session": {"id": "s-42"}, "request": {}, "environment": {"workspace": "/srv/work"},
  "facts": {"urls": {"arguments.url": {"ok": true, "scheme": "https", "host": "docs.example.com", "port": "",
    "userinfo": false, "is_ip": false, "ip": "", "ip_class": ""}}, "secrets": []}
}`

func parse(t testing.TB, s string) ast.Value {
	t.Helper()
	v, err := ast.ValueFromReader(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse input: %v", err)
	}
	return v
}

// TestDecisionContract evaluates the decision with the engine (tables served as
// data, as in production) and checks the
// shape of docs/input-and-decision.md: every key present, with its type.
func TestDecisionContract(t *testing.T) {
	pq := prepare(t)
	for name, in := range contractInputs {
		t.Run(name, func(t *testing.T) {
			rs, err := pq.EvalRaw(context.Background(), parse(t, in))
			if err != nil {
				t.Fatalf("eval: %v", err)
			}
			if len(rs) != 1 || len(rs[0].Expressions) != 1 {
				t.Fatalf("decision undefined: %v", rs)
			}
			d, ok := rs[0].Expressions[0].Value.(map[string]any)
			if !ok {
				t.Fatalf("decision is %T", rs[0].Expressions[0].Value)
			}
			checkDecision(t, d)
		})
	}
}

func checkDecision(t *testing.T, d map[string]any) {
	t.Helper()
	want := []string{"allow", "violations", "sandbox", "rate_limits", "concurrency", "audit", "obligations"}
	if len(d) != len(want) {
		t.Errorf("decision has keys %v, want exactly %v", keys(d), want)
	}
	allow, ok := d["allow"].(bool)
	if !ok {
		t.Fatalf("allow is %T", d["allow"])
	}
	vs, ok := d["violations"].([]any)
	if !ok {
		t.Fatalf("violations is %T", d["violations"])
	}
	if allow != (len(vs) == 0) {
		t.Errorf("allow=%v with %d violations", allow, len(vs))
	}
	for _, v := range vs {
		m, _ := v.(map[string]any)
		for _, k := range []string{"code", "severity", "field", "message"} {
			if _, ok := m[k].(string); !ok {
				t.Errorf("violation %v: %s is not a string", v, k)
			}
		}
	}
	sb, ok := d["sandbox"].(map[string]any)
	if !ok {
		t.Fatalf("sandbox is %T", d["sandbox"])
	}
	for _, k := range []string{"timeout_ms", "cpu_ms", "memory_mb", "max_output_bytes", "max_file_bytes", "max_open_files", "max_procs"} {
		if _, ok := sb[k]; !ok {
			t.Errorf("sandbox.%s missing", k)
		}
	}
	if n, _ := sb["network"].(string); n != "none" && n != "allowlist" && n != "any" {
		t.Errorf("sandbox.network = %v", sb["network"])
	}
	for _, k := range []string{"allow_hosts", "read_paths", "write_paths", "env"} {
		if _, ok := sb[k].([]any); !ok {
			t.Errorf("sandbox.%s is %T, want a list", k, sb[k])
		}
	}
	if _, ok := d["rate_limits"].([]any); !ok {
		t.Errorf("rate_limits is %T", d["rate_limits"])
	}
	au, ok := d["audit"].(map[string]any)
	if !ok {
		t.Fatalf("audit is %T", d["audit"])
	}
	if l, _ := au["level"].(string); l != "info" && l != "warn" {
		t.Errorf("audit.level = %v", au["level"])
	}
	if _, ok := au["redact"].([]any); !ok {
		t.Errorf("audit.redact is %T", au["redact"])
	}
	if _, ok := d["obligations"].([]any); !ok {
		t.Errorf("obligations is %T", d["obligations"])
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// BenchmarkDecision measures one evaluation of data.toolgate.decision with a
// pre-converted input, per kind of call.
func BenchmarkDecision(b *testing.B) {
	pq := prepare(b)
	for _, name := range []string{"read", "shell", "fetch"} {
		in := parse(b, contractInputs[name])
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				if _, err := pq.EvalRaw(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var (
	classes = set("fs_read", "fs_write", "fs_delete", "git_read", "git_write", "shell", "http", "sql", "email")
	risks   = set("low", "medium", "high", "critical")
	kinds   = set("path", "url", "shell", "sql", "email")
	limits  = set("timeout_ms", "cpu_ms", "memory_mb", "max_output_bytes", "max_file_bytes", "max_open_files", "max_procs", "network", "fs", "env")
)

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func readJSON(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := fs.ReadFile(policies.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

// TestCatalog checks every entry of the tool catalog: a known class and risk,
// fact marks on arguments the schema declares, a schema that compiles as JSON
// Schema 2020-12, redacted arguments the schema declares, and sandbox overrides
// that name known limits.
func TestCatalog(t *testing.T) {
	tools := readJSON(t, "toolgate/tools/data.json")
	for _, name := range []string{
		"fs.read_file", "fs.write_file", "fs.list_dir", "fs.delete", "shell.exec", "http.fetch", "sql.query", "email.send",
		"read_file", "read_text_file", "read_media_file", "read_multiple_files", "write_file", "edit_file",
		"create_directory", "list_directory", "list_directory_with_sizes", "directory_tree", "move_file",
		"search_files", "get_file_info", "list_allowed_directories", "fetch",
		"git_status", "git_diff_unstaged", "git_diff_staged", "git_diff", "git_commit", "git_add", "git_reset",
		"git_log", "git_create_branch", "git_checkout", "git_show", "git_init", "git_branch",
	} {
		if _, ok := tools[name]; !ok {
			t.Errorf("catalog lacks %s", name)
		}
	}
	for name, raw := range tools {
		entry, _ := raw.(map[string]any)
		if c, _ := entry["class"].(string); !classes[c] {
			t.Errorf("%s: class %v", name, entry["class"])
		}
		if r, _ := entry["risk"].(string); !risks[r] {
			t.Errorf("%s: risk %v", name, entry["risk"])
		}
		schema, _ := entry["schema"].(map[string]any)
		props, _ := schema["properties"].(map[string]any)
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource("toolgate:///"+name, schema); err != nil {
			t.Errorf("%s: schema: %v", name, err)
		} else if _, err := c.Compile("toolgate:///" + name); err != nil {
			t.Errorf("%s: schema: %v", name, err)
		}
		marks, _ := entry["facts"].(map[string]any)
		for arg, kind := range marks {
			if k, _ := kind.(string); !kinds[k] {
				t.Errorf("%s: argument %s has fact kind %v", name, arg, kind)
			}
			if _, ok := props[arg]; !ok {
				t.Errorf("%s: fact mark on %s, which the schema does not declare", name, arg)
			}
		}
		redact, _ := entry["redact"].([]any)
		for _, arg := range redact {
			if _, ok := props[arg.(string)]; !ok {
				t.Errorf("%s: redact %v, which the schema does not declare", name, arg)
			}
		}
		sb, _ := entry["sandbox"].(map[string]any)
		for k := range sb {
			if !limits[k] {
				t.Errorf("%s: sandbox override %s is not a limit", name, k)
			}
		}
	}
}

// TestSettings checks the default settings against the classes and risks the
// policies know.
func TestSettings(t *testing.T) {
	s := readJSON(t, "toolgate/settings/data.json")
	roles, _ := s["roles"].(map[string]any)
	if len(roles) == 0 {
		t.Fatal("no roles")
	}
	for name, raw := range roles {
		role, _ := raw.(map[string]any)
		for _, c := range role["classes"].([]any) {
			if !classes[c.(string)] {
				t.Errorf("role %s: class %v", name, c)
			}
		}
	}
	sbc, _ := s["sandbox_classes"].(map[string]any)
	for c := range classes {
		if _, ok := sbc[c]; !ok {
			t.Errorf("sandbox_classes has no entry for class %s", c)
		}
	}
	for c, raw := range sbc {
		if c != "default" && !classes[c] {
			t.Errorf("sandbox_classes.%s is not a class", c)
		}
		for k := range raw.(map[string]any) {
			if !limits[k] {
				t.Errorf("sandbox_classes.%s.%s is not a limit", c, k)
			}
		}
	}
	maxima, _ := s["sandbox_max"].(map[string]any)
	for k := range limits {
		if _, ok := maxima[k]; !ok {
			t.Errorf("sandbox_max.%s is missing", k)
		}
	}
	approval, _ := s["approval"].(map[string]any)
	for _, r := range approval["risks"].([]any) {
		if !risks[r.(string)] {
			t.Errorf("approval.risks: %v", r)
		}
	}
}
