package facts

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFileURIPath(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
		isURI          bool
		err            string
	}{
		{"empty host", "file:///etc/passwd", "/etc/passwd", true, ""},
		{"localhost", "file://localhost/etc/shadow", "/etc/shadow", true, ""},
		{"localhost any case", "file://LocalHost/etc/shadow", "/etc/shadow", true, ""},
		{"upper-case scheme", "FILE:///etc/passwd", "/etc/passwd", true, ""},
		{"no authority", "file:/etc/passwd", "/etc/passwd", true, ""},
		{"rootless", "file:notes/todo.md", "notes/todo.md", true, ""},
		{"four slashes: unc", "file:////host/share/x", "//host/share/x", true, ""},
		{"backslashes", `file:\\\etc\passwd`, "/etc/passwd", true, ""},
		{"surrounding spaces", " \x01file:///etc/passwd\n", "/etc/passwd", true, ""},
		{"tab inside scheme", "fi\tle:///etc/passwd", "/etc/passwd", true, ""},
		{"encoded path kept for the caller", "file:%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", true, ""},
		{"not a uri", "notes/file:x", "notes/file:x", false, ""},
		{"other scheme", "files:/x", "files:/x", false, ""},
		{"short", "file", "file", false, ""},
		{"remote host", "file://evil.example/share", "", true, `file URI names the host "evil.example": only an empty host or localhost is local`},
		{"encoded host", "file://%6cocalhost/etc/passwd", "", true, `file URI names the host "%6cocalhost": only an empty host or localhost is local`},
		{"ip host", "file://127.0.0.1/etc/passwd", "", true, `file URI names the host "127.0.0.1": only an empty host or localhost is local`},
		{"host with port", "file://localhost:80/etc/passwd", "", true, `file URI names the host "localhost:80": only an empty host or localhost is local`},
		{"backslash host", `file:\\evil\share`, "", true, `file URI names the host "evil": only an empty host or localhost is local`},
		{"drive as host", "file://C:/Windows/win.ini", "", true, `file URI names the host "C:": only an empty host or localhost is local`},
		{"query", "file:///srv/work/x?y", "", true, "file URI with a query or fragment"},
		{"fragment", "file:///etc/passwd#x", "", true, "file URI with a query or fragment"},
		{"scheme only", "file:", "", true, "file URI without a path"},
		{"empty authority only", "file://", "", true, "file URI without a path"},
		{"localhost only", "file://localhost", "", true, "file URI without a path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, isURI, err := fileURIPath(c.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != c.want || isURI != c.isURI || gotErr != c.err {
				t.Errorf("fileURIPath(%q) = %q, %v, %q; want %q, %v, %q", c.in, got, isURI, gotErr, c.want, c.isURI, c.err)
			}
		})
	}
}

func TestForeignRoot(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want bool
	}{
		{"C:/Windows/win.ini", true},
		{"c:x", true},
		{"Z:", true},
		{"//server/share/x", true},
		{"//?/C:/x", true},
		{"///etc/passwd", true},
		{"Ｃ：/Windows", true},
		{"ｃ:/x", true},
		{"/etc/passwd", false},
		{"notes/C:/x", false},
		{"1:x", false},
		{"ab:c", false},
		{"é:x", false},
		{"C", false},
		{"", false},
		{"./x", false},
	}
	for _, c := range cases {
		if got := foreignRoot(c.in); got != c.want {
			t.Errorf("foreignRoot(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestParsePathFileURI: a file URI is its path, decoded like any path, and
// judged with every other reading of the text.
func TestParsePathFileURI(t *testing.T) {
	t.Parallel()
	tree := newPathTree(t)
	// "file:notes" is a directory symlink out: only the literal reading of
	// "file:notes/passwd" leaves the workspace.
	if err := os.Symlink("/etc", filepath.Join(tree.ws, "file:notes")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, raw, decoded, clean string
		inside, encoded           bool
	}{
		{"absolute outside", "file:///etc/passwd", "/etc/passwd", "/etc/passwd", false, false},
		{"localhost host", "file://localhost/etc/shadow", "/etc/shadow", "/etc/shadow", false, false},
		{"upper-case scheme", "FILE:///etc/passwd", "/etc/passwd", "/etc/passwd", false, false},
		{"no authority", "file:/etc/passwd", "/etc/passwd", "/etc/passwd", false, false},
		{"encoded slashes", "file:%2Fetc%2Fpasswd", "/etc/passwd", "/etc/passwd", false, true},
		{"encoded scheme", "file%3A%2F%2F%2Fetc%2Fpasswd", "/etc/passwd", "/etc/passwd", false, true},
		{"double encoded", "file:%252Fetc%252Fpasswd", "/etc/passwd", "/etc/passwd", false, true},
		{"dotdot out of the workspace", "file://{ws}/../outside/secret", "{ws}/../outside/secret", "{root}/outside/secret", false, false},
		{"unc", "file:///{ws}/notes/todo.md", "/{ws}/notes/todo.md", "{ws}/notes/todo.md", false, false},
		{"drive", "file:C:/Windows/win.ini", "C:/Windows/win.ini", "{ws}/C:/Windows/win.ini", false, false},
		{"symlink out", "file://{ws}/link_out/passwd", "{ws}/link_out/passwd", "{ws}/link_out/passwd", false, false},
		{"literal reading is a symlink out", "file:notes/passwd", "notes/passwd", "{ws}/notes/passwd", false, false},
		{"inside", "file://{ws}/notes/todo.md", "{ws}/notes/todo.md", "{ws}/notes/todo.md", true, false},
		{"inside, localhost", "file://localhost{ws}/notes/todo.md", "{ws}/notes/todo.md", "{ws}/notes/todo.md", true, false},
		{"inside, encoded space", "file://{ws}/notes/a%20b.md", "{ws}/notes/a b.md", "{ws}/notes/a b.md", true, true},
		{"inside, relative", "file:a/b/x", "a/b/x", "{ws}/a/b/x", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := ParsePath(tree.ws, tree.expand(c.raw))
			decoded, clean := tree.expand(c.decoded), tree.expand(c.clean)
			if !f.OK || f.Decoded != decoded || f.Clean != clean || f.InsideWorkspace != c.inside || f.Encoded != c.encoded {
				t.Errorf("ParsePath(%q) = %+v\nwant decoded %q, clean %q, inside %v, encoded %v",
					c.raw, f, decoded, clean, c.inside, c.encoded)
			}
		})
	}
}

func TestParsePathFileURIRefusals(t *testing.T) {
	t.Parallel()
	tree := newPathTree(t)
	cases := []struct{ name, raw, err string }{
		{"remote host", "file://evil.example/share/x", `file URI names the host "evil.example": only an empty host or localhost is local`},
		{"host in backslashes", `file:\\evil\share\x`, `file URI names the host "evil": only an empty host or localhost is local`},
		{"encoded host", "file://%6cocalhost/etc/passwd", `file URI names the host "%6cocalhost": only an empty host or localhost is local`},
		{"host after decoding", "file:%2F%2Fevil%2Fshare", `file URI names the host "evil": only an empty host or localhost is local`},
		{"query", "file:///etc/passwd?x", "file URI with a query or fragment"},
		{"encoded fragment", "file://{ws}/notes/todo.md%23x", "file URI with a query or fragment"},
		{"no path", "file://localhost", "file URI without a path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParsePath(tree.ws, tree.expand(c.raw)).Term(), `{"ok":false,"error":`+jsonString(c.err)+`}`)
		})
	}
}

// TestParsePathWindowsRoots: a drive or UNC path is elsewhere on Windows,
// whatever its POSIX reading; ordinary names with a colon stay inside.
func TestParsePathWindowsRoots(t *testing.T) {
	t.Parallel()
	tree := newPathTree(t)
	cases := []struct {
		raw    string
		inside bool
	}{
		{`C:\Windows\win.ini`, false},
		{"C:/Windows/win.ini", false},
		{"c:notes", false},
		{`C%3A%5CWindows%5Cwin.ini`, false},
		{"Ｃ：＼Windows＼win.ini", false},
		{`\\{ws}\notes\todo.md`, false},
		{"//{ws}/notes/todo.md", false},
		{"＼＼{ws}＼notes＼todo.md", false},
		{`\\?\C:\Windows`, false},
		{"notes/todo.md", true},
		{"notes/C:/x", true},
		{"ab:c.txt", true},
		{"1:x", true},
		{"{ws}/notes/todo.md", true},
	}
	for _, c := range cases {
		raw := tree.expand(c.raw)
		if f := ParsePath(tree.ws, raw); !f.OK || f.InsideWorkspace != c.inside {
			t.Errorf("ParsePath(%q) = %+v, want ok and inside %v", raw, f, c.inside)
		}
	}
}
