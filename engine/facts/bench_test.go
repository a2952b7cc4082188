package facts

import (
	"os"
	"path/filepath"
	"testing"
)

// benchWorkspace is a small real workspace: path facts stat the file system.
func benchWorkspace(b *testing.B) string {
	b.Helper()
	ws := b.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, "notes"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "notes", "todo.md"), []byte("x"), 0o644); err != nil {
		b.Fatal(err)
	}
	return ws
}

// BenchmarkBuild measures the whole input.facts object for one typical
// argument of each hot kind, secrets scan included.
func BenchmarkBuild(b *testing.B) {
	ws := benchWorkspace(b)
	cases := []struct {
		name  string
		marks map[string]Kind
		args  map[string]any
	}{
		{"shell", map[string]Kind{"command": KindShell},
			map[string]any{"command": "git status && ls -la src | grep -v test > /tmp/out.txt"}},
		{"path", map[string]Kind{"path": KindPath},
			map[string]any{"path": "notes/todo.md"}},
		{"url", map[string]Kind{"url": KindURL},
			map[string]any{"url": "https://api.example.com:8443/v1/items?q=1"}},
		{"sql", map[string]Kind{"query": KindSQL},
			map[string]any{"query": "SELECT id, name FROM users WHERE tenant = 'acme' ORDER BY id LIMIT 10"}},
		{"none", nil,
			map[string]any{"body": "hello world, nothing secret in here", "n": "42"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Build(ws, c.marks, c.args)
			}
		})
	}
}

func BenchmarkParsers(b *testing.B) {
	ws := benchWorkspace(b)
	b.Run("ParsePath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParsePath(ws, "notes/todo.md")
		}
	})
	b.Run("ParseURL", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParseURL("https://api.example.com:8443/v1/items?q=1")
		}
	})
	b.Run("ParseShell", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParseShell("git status && ls -la src | grep -v test > /tmp/out.txt")
		}
	})
	b.Run("ParseSQL", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParseSQL("SELECT id, name FROM users WHERE tenant = 'acme' ORDER BY id LIMIT 10")
		}
	})
	b.Run("FindSecrets", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			FindSecrets("git status && ls -la src | grep -v test > /tmp/out.txt")
		}
	})
}
