package security_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/limits"
)

// TestSymlinkEscape needs a workspace that exists on disk: a path that is
// lexically inside the workspace but reaches outside through a symlink must
// be denied (the path fact's "real" reading). The JSONL corpus cannot carry
// this, its workspace /srv/work does not exist on the test machine.
func TestSymlinkEscape(t *testing.T) {
	ws := t.TempDir()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("s"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(ws, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"escape":        outside,
		"etc":           "/etc",
		"src/up":        "../..",
		"notes.md":      filepath.Join(outside, "secret.txt"),
		"dangling-dir":  filepath.Join(outside, "not-yet"),
		"src/in-ws-rel": "../src",
	} {
		if err := os.Symlink(target, filepath.Join(ws, link)); err != nil {
			t.Fatal(err)
		}
	}
	coord := newWorkspaceCoordinator(t, ws)

	cases := []struct {
		name, tool, path, want string // want "" means allowed
	}{
		{"dir link out", "fs.read_file", "escape/secret.txt", "path_traversal"},
		{"dir link to /etc", "fs.read_file", "etc/hostname", "path_traversal"},
		{"relative link up", "fs.list_dir", "src/up", "path_traversal"},
		{"file link out", "fs.read_file", "notes.md", "path_traversal"},
		{"write through file link", "fs.write_file", "notes.md", "path_traversal"},
		{"write below dangling link", "fs.write_file", "dangling-dir/new.txt", "path_traversal"},
		{"absolute through link", "fs.read_file", filepath.Join(ws, "escape", "secret.txt"), "path_traversal"},
		{"link staying inside", "fs.read_file", "src/in-ws-rel/main.go", ""},
		{"plain file", "fs.read_file", "src/main.go", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := map[string]any{"path": tc.path}
			if tc.tool == "fs.write_file" {
				args["content"] = "x"
			}
			d, err := coord.Check(context.Background(), engine.Call{
				Tool:      engine.Tool{Name: tc.tool, Arguments: args},
				Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}},
			})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var refusal *coordinator.Error
			if !errors.As(err, &refusal) || refusal.Code != coordinator.CodeDenied {
				t.Fatalf("got %v (violations %s), want denied with %s", err, describe(d.Violations), tc.want)
			}
			if !hasCode(refusal.Violations, tc.want) {
				t.Fatalf("violations %s lack %s", describe(refusal.Violations), tc.want)
			}
		})
	}
}

func newWorkspaceCoordinator(t *testing.T, ws string) *coordinator.Coordinator {
	t.Helper()
	ps, err := engine.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(context.Background(), ps, engine.WithWorkspace(ws))
	if err != nil {
		t.Fatal(err)
	}
	mem := limits.NewMemory()
	t.Cleanup(func() { _ = mem.Close() })
	c, err := coordinator.New(eng, coordinator.WithLimiter(unthrottled{mem}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
