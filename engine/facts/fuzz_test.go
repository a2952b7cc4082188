package facts

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Fuzz targets: no input may panic, and what a fact claims must hold.

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"notes/todo.md", "../x", "%2e%2e/x", "%252e%252e/x", `..\..\x`, "x\x00y", "%00", ".. ./x",
		"．．/x", "‥/x", "%c0%ae%c0%ae/x", "%u002e%u002e", "~/.ssh", "~root", "/", "//srv", "link/x",
		"a%2fb/x", `a\b/x`, "100%", "%", "%%%", strings.Repeat("../", 50),
		"file:///etc/passwd", "FILE://localhost/x", "file:%2Fetc", "file://evil/x", `C:\Windows`, `\\host\share`, "c:x",
	} {
		f.Add(s)
	}
	ws := f.TempDir()
	if err := os.Symlink("/etc", filepath.Join(ws, "link")); err != nil {
		f.Fatal(err)
	}
	wsReal, err := filepath.EvalSymlinks(ws)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p := ParsePath(ws, raw)
		p.Term()
		if !p.OK {
			if p.Error == "" {
				t.Fatal("refused without an error")
			}
			return
		}
		if p.InsideWorkspace && (!within(p.Clean, ws) || !within(p.Real, wsReal) || p.NUL || p.Home) {
			t.Fatalf("inside_workspace but clean=%q real=%q nul=%v home=%v", p.Clean, p.Real, p.NUL, p.Home)
		}
		if !utf8.ValidString(p.Decoded) {
			t.Fatalf("decoded is not UTF-8: %q", p.Decoded)
		}
		if strings.Contains(p.Decoded, `\`) {
			t.Fatalf("decoded keeps a backslash: %q", p.Decoded)
		}
	})
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"http://0x7f000001/", "http://2130706433", "http://0177.0.0.1", "http://127.1", "http://0x7f.1",
		"http://[::ffff:7f00:1]", "http://[64:ff9b::7f00:1]", "http://[fe80::1%25eth0]", "http://%31%32%37.0.0.1",
		"http://good@evil/", `http://evil\@good`, "localhost:80", "//h", "http://ｌｏｃａｌｈｏｓｔ", "http:evil",
		"http://[", "http://a:b:c", "file:///x", "x:", ":", "http://0x", "http://1.2.3.4.5", "HTTP://A.B./",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u := ParseURL(raw)
		u.Term()
		if !u.OK {
			if u.Error == "" {
				t.Fatal("refused without an error")
			}
			return
		}
		if u.IsIP != (u.IP != "") || u.IsIP != (u.IPClass != "") {
			t.Fatalf("inconsistent ip fields: %+v", u)
		}
		if u.IsIP {
			if _, err := netip.ParseAddr(u.IP); err != nil {
				t.Fatalf("ip %q does not parse: %v", u.IP, err)
			}
		}
		if strings.HasSuffix(u.Host, ".") || u.Host != strings.ToLower(u.Host) && isASCII(u.Host) {
			t.Fatalf("host not canonical: %q", u.Host)
		}
		if u.Port != "" {
			if n, err := strconv.Atoi(u.Port); err != nil || n > 65535 || strconv.Itoa(n) != u.Port {
				t.Fatalf("port not canonical: %q", u.Port)
			}
		}
	})
}

func FuzzParseShell(f *testing.F) {
	for _, s := range []string{
		"r''m -rf /", ":(){ :|:& };:", "bash -c 'sh -c \"eval id\"'", "curl x | sh", "echo $'\\x41' ${IFS}",
		"cat <<EOF\n$(id)\nEOF\n", "bash <<< 'id'", "find . -exec rm {} \\;", "sudo -u r env A=1 nohup rm",
		"exec 3<>/dev/tcp/1/2", "a=$(b) c", "f() { f; }", "alias x='y'", "echo x | bash -s", "((", "$((1+",
		"gdb -ex 'she id' --args sudo id", "ssh -oProxyCommand='id' h", "tar --checkpoint-action=exec='id'",
		"echo id | at now", "at now <<E\nid\nE", "script -qc id /dev/null", "sg g -c id", "rsync -avze 'id' a b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		s := ParseShell(cmd)
		s.Term()
		if !s.OK {
			if s.Error == "" {
				t.Fatal("refused without an error")
			}
			return
		}
		if !slices.IsSorted(s.Features) || len(slices.Compact(slices.Clone(s.Features))) != len(s.Features) {
			t.Fatalf("features not a sorted set: %v", s.Features)
		}
		if len(s.Commands) > maxShellCommands {
			t.Fatalf("%d commands exceed the bound", len(s.Commands))
		}
	})
}

func FuzzParseSQL(f *testing.F) {
	for _, s := range []string{
		"SELECT 1; DROP TABLE t", "DELETE FROM t WHERE 1=1", "WITH d AS (DELETE FROM t) SELECT 1",
		"SELECT $$;$$", "SELECT 'a\\'; x", "/*! DROP */", "/* /* */ */", "SELECT 1 --x", "# x\nSELECT",
		"EXPLAIN (ANALYZE) DELETE FROM t", "(((", ")))", "SELECT E'\\''", "$a$", "'", "\"", "`",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		s := ParseSQL(q)
		s.Term()
		if !s.OK {
			if s.Error == "" {
				t.Fatal("refused without an error")
			}
			return
		}
		if s.Count > maxSQLStatements || (s.Count > 0) != (len(s.Statements) > 0) {
			t.Fatalf("count %d with %d statements", s.Count, len(s.Statements))
		}
		for _, st := range s.Statements {
			if st.Kind == "" {
				t.Fatal("statement without a kind")
			}
		}
	})
}

// FuzzBuild feeds whole argument objects: every string may be anything.
func FuzzBuild(f *testing.F) {
	for _, s := range []string{
		`{"path":"../x","url":"http://0x7f.1","command":"rm -rf /","query":"DROP TABLE t","to":"a@b.c"}`,
		`{"path":5,"url":null,"command":["x"],"query":{"a":"b"},"to":[1]}`,
		`{"headers":{"Authorization":"Bearer x.y.z"},"items":["AKIAIOSFODNN7EXAMPLE"]}`,
		`{"a.b":{"password":"hunter22"}}`,
	} {
		f.Add([]byte(s))
	}
	ws := f.TempDir()
	marks := map[string]Kind{"path": KindPath, "url": KindURL, "command": KindShell, "query": KindSQL, "to": KindEmail}
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var args map[string]any
		if dec.Decode(&args) != nil {
			return
		}
		term := Build(ws, marks, args)
		obj, ok := term.Value.(ast.Object)
		if !ok || obj.Len() != 6 {
			t.Fatalf("facts is not the six-key object: %v", term)
		}
		for _, h := range ScanSecrets(args) {
			if !strings.HasPrefix(h.Field, argumentsRoot) || h.Kind == "" {
				t.Fatalf("bad secret hit %+v", h)
			}
		}
	})
}

func FuzzFindSecrets(f *testing.F) {
	for _, s := range []string{"password=hunter22", "token=" + fakeJWT, fakePEM, fakeAWSKey, "aws secret " + fakeAWSSecret} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms := FindSecrets(s)
		for i, m := range ms {
			if m.Start < 0 || m.End > len(s) || m.Start > m.End || m.Kind == "" {
				t.Fatalf("bad match %+v in %d bytes", m, len(s))
			}
			if i > 0 && ms[i-1].Start > m.Start {
				t.Fatalf("matches not sorted: %v", ms)
			}
		}
	})
}
