package facts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pathTree builds a workspace with the symlinks an attacker would plant:
//
//	root/ws/notes/todo.md
//	root/ws/link_out      -> /etc             (absolute, out)
//	root/ws/link_in       -> notes            (relative, in)
//	root/ws/link_rel_out  -> ../outside       (relative, out)
//	root/ws/loop          -> loop
//	root/ws/a%2fb         -> /etc             (a name only a non-decoding tool sees)
//	root/ws/a\b           -> /etc             (a name only a POSIX tool sees)
//	root/ws/a/b/          (regular directories: the decoded reading)
//	root/outside/secret
//	root/wslink           -> ws               (a symlinked workspace)
type pathTree struct {
	root, ws, wsReal string
}

func newPathTree(t *testing.T) pathTree {
	t.Helper()
	root := t.TempDir()
	ws := filepath.Join(root, "ws")
	for _, d := range []string{"notes", "a/b"} {
		if err := os.MkdirAll(filepath.Join(ws, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "outside"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ws/notes/todo.md", "outside/secret"} {
		if err := os.WriteFile(filepath.Join(root, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"ws/link_out": "/etc", "ws/link_in": "notes", "ws/link_rel_out": "../outside",
		"ws/loop": "loop", "ws/a%2fb": "/etc", `ws/a\b`: "/etc", "wslink": "ws",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	real, err := filepath.EvalSymlinks(ws)
	if err != nil {
		t.Fatal(err)
	}
	return pathTree{root: root, ws: ws, wsReal: real}
}

// expand replaces {ws} and {real} (the workspace's resolved path).
func (p pathTree) expand(s string) string {
	return strings.NewReplacer("{ws}", p.ws, "{real}", p.wsReal, "{root}", p.root).Replace(s)
}

func TestParsePath(t *testing.T) {
	t.Parallel()
	tree := newPathTree(t)
	// JSON with every field; P(...) keeps the table readable.
	type exp struct {
		raw, decoded, clean, real, base string
		inside, dotdot, encoded, nul    bool
		home, lookalike                 bool
	}
	js := func(e exp) string {
		b := func(v bool) string {
			if v {
				return "true"
			}
			return "false"
		}
		q := func(s string) string { return jsonString(tree.expand(s)) }
		return `{"ok":true,"raw":` + q(e.raw) + `,"decoded":` + q(e.decoded) + `,"clean":` + q(e.clean) +
			`,"real":` + q(e.real) + `,"inside_workspace":` + b(e.inside) + `,"dotdot":` + b(e.dotdot) +
			`,"encoded":` + b(e.encoded) + `,"nul":` + b(e.nul) + `,"base":` + q(e.base) +
			`,"home":` + b(e.home) + `,"lookalike":` + b(e.lookalike) + `}`
	}
	cases := []struct {
		name, raw string
		want      exp
	}{
		{"relative inside", "notes/todo.md", exp{decoded: "notes/todo.md", clean: "{ws}/notes/todo.md", real: "{real}/notes/todo.md", base: "todo.md", inside: true}},
		{"workspace itself", ".", exp{decoded: ".", clean: "{ws}", real: "{real}", base: "ws", inside: true}},
		{"absolute inside", "{ws}/notes/new.txt", exp{decoded: "{ws}/notes/new.txt", clean: "{ws}/notes/new.txt", real: "{real}/notes/new.txt", base: "new.txt", inside: true}},
		{"absolute outside", "/etc/passwd", exp{decoded: "/etc/passwd", clean: "/etc/passwd", real: "/etc/passwd", base: "passwd"}},
		{"root", "/", exp{decoded: "/", clean: "/", real: "/", base: "/"}},
		{"dotdot out", "../outside/secret", exp{decoded: "../outside/secret", clean: "{root}/outside/secret", real: "{root}/outside/secret", base: "secret", dotdot: true}},
		{"dotdot staying in", "notes/../notes/TODO.md", exp{decoded: "notes/../notes/TODO.md", clean: "{ws}/notes/TODO.md", real: "{real}/notes/TODO.md", base: "todo.md", inside: true, dotdot: true}},
		{"encoded dotdot", "%2e%2e/outside/secret", exp{decoded: "../outside/secret", clean: "{root}/outside/secret", real: "{root}/outside/secret", base: "secret", dotdot: true, encoded: true}},
		{"double encoded", "%252e%252e%252foutside", exp{decoded: "../outside", clean: "{root}/outside", real: "{root}/outside", base: "outside", dotdot: true, encoded: true}},
		{"triple encoded", "%25252e%25252e/x", exp{decoded: "../x", clean: "{root}/x", real: "{root}/x", base: "x", dotdot: true, encoded: true}},
		{"iis unicode escape", "%u002e%u002e/x", exp{decoded: "../x", clean: "{root}/x", real: "{root}/x", base: "x", dotdot: true, encoded: true}},
		{"invalid escape kept", "100%.txt", exp{decoded: "100%.txt", clean: "{ws}/100%.txt", real: "{real}/100%.txt", base: "100%.txt", inside: true}},
		{"backslashes", `..\..\..\..\..\..\..\..\etc\passwd`, exp{decoded: "../../../../../../../../etc/passwd", clean: "/etc/passwd", real: "/etc/passwd", base: "passwd", dotdot: true}},
		{"unc path", `\\server\share\x`, exp{decoded: "//server/share/x", clean: "/server/share/x", real: "/server/share/x", base: "x"}},
		{"backslash inside", `notes\todo.md`, exp{decoded: "notes/todo.md", clean: "{ws}/notes/todo.md", real: "{real}/notes/todo.md", base: "todo.md", inside: true}},
		{"triple dot", ".../x", exp{decoded: ".../x", clean: "{ws}/.../x", real: "{real}/.../x", base: "x", inside: true, dotdot: true}},
		{"dots and space", ".. ./x", exp{decoded: ".. ./x", clean: "{ws}/.. ./x", real: "{real}/.. ./x", base: "x", inside: true, dotdot: true}},
		{"symlink out absolute", "link_out/passwd", exp{decoded: "link_out/passwd", clean: "{ws}/link_out/passwd", real: "/etc/passwd", base: "passwd"}},
		{"symlink in", "link_in/todo.md", exp{decoded: "link_in/todo.md", clean: "{ws}/link_in/todo.md", real: "{real}/notes/todo.md", base: "todo.md", inside: true}},
		{"symlink out relative", "link_rel_out/secret", exp{decoded: "link_rel_out/secret", clean: "{ws}/link_rel_out/secret", real: "{root}/outside/secret", base: "secret"}},
		{"literal percent name is a symlink", "a%2fb/passwd", exp{decoded: "a/b/passwd", clean: "{ws}/a/b/passwd", real: "{real}/a/b/passwd", base: "passwd", encoded: true}},
		{"literal backslash name is a symlink", `a\b/passwd`, exp{decoded: "a/b/passwd", clean: "{ws}/a/b/passwd", real: "{real}/a/b/passwd", base: "passwd"}},
		{"raw nul", "notes/x\x00.txt", exp{decoded: "notes/x\x00.txt", clean: "{ws}/notes/x\x00.txt", real: "{ws}/notes/x\x00.txt", base: "x\x00.txt", nul: true}},
		{"encoded nul", "todo.md%00.png", exp{decoded: "todo.md\x00.png", clean: "{ws}/todo.md\x00.png", real: "{ws}/todo.md\x00.png", base: "todo.md\x00.png", nul: true, encoded: true}},
		{"fullwidth dots", "．．/．．/etc/passwd", exp{decoded: "．．/．．/etc/passwd", clean: "{ws}/．．/．．/etc/passwd", real: "{real}/．．/．．/etc/passwd", base: "passwd", dotdot: true, lookalike: true}},
		{"one dot leaders", "․․/x", exp{decoded: "․․/x", clean: "{ws}/․․/x", real: "{real}/․․/x", base: "x", dotdot: true, lookalike: true}},
		{"two dot leader", "‥/x", exp{decoded: "‥/x", clean: "{ws}/‥/x", real: "{real}/‥/x", base: "x", dotdot: true, lookalike: true}},
		{"fullwidth slash", "notes／..／..／x", exp{decoded: "notes／..／..／x", clean: "{ws}/notes／..／..／x", real: "{real}/notes／..／..／x", base: "notes／..／..／x", dotdot: true, lookalike: true}},
		{"encoded fullwidth", "%uff0e%uff0e/x", exp{decoded: "．．/x", clean: "{ws}/．．/x", real: "{real}/．．/x", base: "x", dotdot: true, encoded: true, lookalike: true}},
		{"fullwidth tilde", "～/.ssh/id_rsa", exp{decoded: "～/.ssh/id_rsa", clean: "{ws}/～/.ssh/id_rsa", real: "{real}/～/.ssh/id_rsa", base: "id_rsa", lookalike: true}},
		{"home", "~/.ssh/id_rsa", exp{decoded: "~/.ssh/id_rsa", clean: "~/.ssh/id_rsa", real: "~/.ssh/id_rsa", base: "id_rsa", home: true}},
		{"other home", "~root/../x", exp{decoded: "~root/../x", clean: "~root/x", real: "~root/x", base: "x", home: true, dotdot: true}},
		{"bare tilde", "~", exp{decoded: "~", clean: "~", real: "~", base: "~", home: true}},
		{"encoded tilde", "%7e/.aws/credentials", exp{decoded: "~/.aws/credentials", clean: "~/.aws/credentials", real: "~/.aws/credentials", base: "credentials", home: true, encoded: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			raw := tree.expand(c.raw)
			c.want.raw = raw
			assertTerm(t, ParsePath(tree.ws, raw).Term(), js(c.want))
		})
	}
}

func TestParsePathRefusals(t *testing.T) {
	t.Parallel()
	tree := newPathTree(t)
	cases := []struct{ name, workspace, raw, err string }{
		{"empty", tree.ws, "", "empty path"},
		{"relative workspace", "ws", "x", `workspace "ws" is not an absolute path`},
		{"empty workspace", "", "x", `workspace "" is not an absolute path`},
		{"overlong utf-8 dot", tree.ws, "%c0%ae%c0%ae/etc/passwd", "path is not valid UTF-8 after percent-decoding (overlong or truncated encoding)"},
		{"three-byte overlong", tree.ws, "%e0%80%ae%e0%80%ae/x", "path is not valid UTF-8 after percent-decoding (overlong or truncated encoding)"},
		{"quadruple encoding", tree.ws, "%2525252e", "path has more than 3 layers of percent-encoding"},
		{"symlink loop", tree.ws, "loop/x", "too many levels of symbolic links"},
		{"too long", tree.ws, strings.Repeat("a/", maxPathBytes/2+1), "path longer than 4096 bytes"},
		{"too long raw", tree.ws, strings.Repeat("a", maxRawPathBytes+1), "path text longer than 12288 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParsePath(c.workspace, c.raw).Term(), `{"ok":false,"error":`+jsonString(c.err)+`}`)
		})
	}
}

// TestParsePathSymlinkedWorkspace: a workspace reached through a symlink is
// compared with its resolved form, so ordinary paths stay inside.
func TestParsePathSymlinkedWorkspace(t *testing.T) {
	t.Parallel()
	tree := newPathTree(t)
	wslink := filepath.Join(tree.root, "wslink")
	f := ParsePath(wslink, "notes/todo.md")
	if !f.OK || !f.InsideWorkspace {
		t.Fatalf("ParsePath via symlinked workspace = %+v, want inside", f)
	}
	if want := filepath.Join(tree.wsReal, "notes/todo.md"); f.Real != want {
		t.Errorf("real = %q, want %q", f.Real, want)
	}
	if f := ParsePath(wslink, "link_out/passwd"); !f.OK || f.InsideWorkspace {
		t.Errorf("symlink out of a symlinked workspace = %+v, want outside", f)
	}
}

// TestParsePathResolveBound: resolution stops after maxResolveSteps existing
// components instead of doing unbounded work.
func TestParsePathResolveBound(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	deep := strings.Repeat("d/", maxResolveSteps+10)
	if err := os.MkdirAll(filepath.Join(ws, deep), 0o755); err != nil {
		t.Fatal(err)
	}
	f := ParsePath(ws, deep+"x")
	want := "path has more than 256 components to resolve"
	if ws == "/" || f.OK || f.Error != want {
		t.Fatalf("ParsePath(deep) = ok %v, error %q; want %q", f.OK, f.Error, want)
	}
}
