// Package testpolicies writes small, self-contained policy sets for the
// HTTP and fleet tests: a decision entry point, a catalog, and their own
// Rego tests, in variants a reload must accept or refuse. The tests do not
// depend on the default library, which has its own suite.
package testpolicies

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"text/template"
)

// Variant selects what Write produces.
type Variant struct {
	// Marker is returned as the obligation "set:<Marker>" by every
	// decision, so a test can tell which set decided a call.
	Marker string
	// ShellLimit is the rate limit of shell.exec per principal per hour.
	ShellLimit int
	// Broken adds a module that does not parse.
	Broken bool
	// FailingTest adds a Rego test that fails.
	FailingTest bool
}

// Tools in the catalog: echo (risk low, roles dev and admin, rate limit
// marked local_fallback) and shell.exec (risk high, role admin only).
const (
	ToolEcho  = "echo"
	ToolShell = "shell.exec"
)

// Obligation is the marker obligation of a set.
func Obligation(marker string) string { return "set:" + marker }

// Write writes v into dir (created if needed), replacing its files.
func Write(t testing.TB, dir string, v Variant) {
	t.Helper()
	if v.ShellLimit == 0 {
		v.ShellLimit = 1000
	}
	files := map[string]string{
		"toolgate/decision.rego":      decisionRego,
		"toolgate/decision_test.rego": decisionTestRego,
		"toolgate/data.json":          dataJSON,
	}
	if v.Broken {
		files["toolgate/broken.rego"] = "package toolgate.broken\n\nthis is not rego {\n"
	}
	if v.FailingTest {
		files["toolgate/failing_test.rego"] = failingTestRego
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := template.Must(template.New(name).Parse(text)).Execute(&b, v); err != nil {
			t.Fatal(err)
		}
		// write then rename: a watcher never sees a half-written file
		tmp := p + ".tmp"
		if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, extra := range []string{"toolgate/broken.rego", "toolgate/failing_test.rego"} {
		if _, ok := files[extra]; !ok {
			_ = os.Remove(filepath.Join(dir, extra))
		}
	}
}

const dataJSON = `{
  "marker": "{{.Marker}}",
  "tools": {
    "echo": {"class": "read", "risk": "low", "description": "Echo the text back.",
             "roles": ["dev", "admin"], "limit": 100000,
             "schema": {"type": "object", "properties": {"text": {"type": "string"}},
                        "additionalProperties": false}},
    "shell.exec": {"class": "exec", "risk": "high", "description": "Run a command.",
                   "roles": ["admin"], "limit": {{.ShellLimit}}}
  }
}
`

const decisionRego = `package toolgate

tool := data.toolgate.tools[input.tool.name]

violations contains {"code": "unauthenticated", "severity": "high", "message": "no principal"} if {
	input.principal.id == ""
}

violations contains {"code": "unknown_tool", "severity": "high", "message": "not in the catalog"} if {
	not tool
}

violations contains {"code": "role_not_permitted", "severity": "high", "message": "no role may use the tool"} if {
	count({r | some r in input.principal.roles; r in tool.roles}) == 0
}

violations contains {"code": "forbidden_text", "severity": "high", "field": "arguments.text", "message": "the text is forbidden"} if {
	input.tool.arguments.text == "forbidden"
}

default rate_limits := []

rate_limits := [{
	"key": concat("", ["principal:", input.principal.id, "|tool:", input.tool.name]),
	"limit": tool.limit,
	"per": "1h",
	"local_fallback": tool.risk == "low",
}]

decision := {
	"allow": count(violations) == 0,
	"violations": sort(violations),
	"sandbox": {
		"timeout_ms": 1000, "cpu_ms": 1000, "memory_mb": 64, "max_output_bytes": 4096,
		"max_procs": 4, "network": "none", "allow_hosts": [], "read_paths": [], "write_paths": [],
	},
	"rate_limits": rate_limits,
	"audit": {"level": "info", "redact": []},
	"obligations": [concat("", ["set:", data.toolgate.marker])],
}
`

const decisionTestRego = `package toolgate_test

import data.toolgate

test_dev_may_echo if {
	d := toolgate.decision with input as {"tool": {"name": "echo", "arguments": {}}, "principal": {"id": "a", "roles": ["dev"]}}
	d.allow
	d.obligations == ["set:{{.Marker}}"]
}

test_dev_may_not_exec if {
	d := toolgate.decision with input as {"tool": {"name": "shell.exec", "arguments": {}}, "principal": {"id": "a", "roles": ["dev"]}}
	not d.allow
	[v.code | some v in d.violations] == ["role_not_permitted"]
}
`

const failingTestRego = `package toolgate_failing_test

import data.toolgate

test_that_fails if {
	d := toolgate.decision with input as {"tool": {"name": "echo", "arguments": {}}, "principal": {"id": "a", "roles": ["dev"]}}
	not d.allow
}
`
