package facts

import (
	"encoding/json"
	"testing"
)

func TestBuild(t *testing.T) {
	t.Parallel()
	tree := newPathTree(t)
	marks := map[string]Kind{
		"path": KindPath, "url": KindURL, "command": KindShell, "query": KindSQL, "to": KindEmail,
		"absent": KindPath, "future": Kind("xml"), "we.ird": KindURL,
	}
	args := map[string]any{
		"path":    "notes/todo.md",
		"url":     "http://0x7f000001/",
		"command": "rm -rf /",
		"query":   json.Number("1"),
		"to":      []any{"Bob <bob@acme.example>"},
		"future":  "<x/>",
		"we.ird":  "https://a.example",
		"body":    "password=hunter22",
	}
	want := tree.expand(`{
	  "paths": {"arguments.path": {"ok": true, "raw": "notes/todo.md", "decoded": "notes/todo.md",
	    "clean": "{ws}/notes/todo.md", "real": "{real}/notes/todo.md", "inside_workspace": true,
	    "dotdot": false, "encoded": false, "nul": false, "base": "todo.md", "home": false, "lookalike": false}},
	  "urls": {
	    "arguments.url": {"ok": true, "scheme": "http", "host": "0x7f000001", "port": "", "userinfo": false,
	      "is_ip": true, "ip": "127.0.0.1", "ip_class": "loopback"},
	    "arguments[\"we.ird\"]": {"ok": true, "scheme": "https", "host": "a.example", "port": "", "userinfo": false,
	      "is_ip": false, "ip": "", "ip_class": ""}},
	  "shell": {"arguments.command": {"ok": true, "commands": [{"name": "rm", "argv0": "rm", "args": ["-rf", "/"], "dynamic": false}],
	    "pipelines": [], "redirects": [], "features": []}},
	  "sql": {"arguments.query": {"ok": false, "error": "argument is not a string"}},
	  "emails": {"arguments.to": {"ok": true, "addresses": [{"address": "bob@acme.example", "domain": "acme.example"}]}},
	  "secrets": [{"field": "arguments.body", "kind": "password_assignment"}]
	}`)
	assertTerm(t, Build(tree.ws, marks, args), want)
}

func TestBuildEmpty(t *testing.T) {
	t.Parallel()
	want := `{"paths": {}, "urls": {}, "shell": {}, "sql": {}, "emails": {}, "secrets": []}`
	assertTerm(t, Build("/srv/work", nil, nil), want)
	// A marked argument of the wrong type still gets a (refusing) fact.
	got := Build("/srv/work", map[string]Kind{"p": KindPath}, map[string]any{"p": nil})
	assertTerm(t, field(t, field(t, got, "paths"), "arguments.p"), `{"ok": false, "error": "argument is not a string"}`)
}
