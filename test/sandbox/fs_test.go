package sandbox_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/toolgate/toolgate/limits/sandbox"
)

const keyContent = "-----BEGIN OPENSSH PRIVATE KEY----- test-key-material"

// layout is a tool's world: work is writable, ro readable, outside neither.
type layout struct{ work, ro, outside, key, roFile string }

func newLayout(t *testing.T) layout {
	t.Helper()
	root := t.TempDir()
	l := layout{
		work: filepath.Join(root, "work"), ro: filepath.Join(root, "ro"), outside: filepath.Join(root, "outside"),
	}
	for _, d := range []string{l.work, l.ro, l.outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	l.key = filepath.Join(l.outside, "id_ed25519")
	l.roFile = filepath.Join(l.ro, "data")
	write(t, l.key, keyContent)
	write(t, l.roFile, "read-only data")
	return l
}

func (l layout) spec(script string) sandbox.Spec {
	s := sh(script)
	s.Dir, s.ReadPaths, s.WritePaths = l.work, []string{l.ro}, []string{l.work}
	s.Env = append(s.Env, "WORK="+l.work, "RO="+l.ro, "OUT="+l.outside, "KEY="+l.key)
	return s
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func assertUnchanged(t *testing.T, path, content string) {
	t.Helper()
	if got, err := os.ReadFile(path); err != nil || string(got) != content {
		t.Fatalf("%s changed: %q, %v", path, got, err)
	}
}

func assertAbsent(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("%s exists (%v): the sandbox let the tool create it", path, err)
	}
}

// denials are how the kernel words a refusal: Landlock (EACCES, EXDEV for
// links across its rules), seccomp and dropped capabilities (EPERM).
// Matched case-insensitively (mount says "permission denied.").
var denials = [][]byte{[]byte("permission denied"), []byte("invalid cross-device link"), []byte("operation not permitted")}

// mustBeDenied fails unless the tool failed by itself because the kernel
// refused it, not for some incidental reason (a typo, a missing program).
func mustBeDenied(t *testing.T, res *sandbox.Result) {
	t.Helper()
	mustFail(t, res)
	stderr := bytes.ToLower(res.Stderr)
	for _, d := range denials {
		if bytes.Contains(stderr, d) {
			return
		}
	}
	t.Fatalf("failed, but not by a denial: %s", res.Stderr)
}

func assertNoKey(t *testing.T, out []byte) {
	t.Helper()
	if bytes.Contains(out, []byte(keyContent)) {
		t.Fatalf("key material leaked: %s", out)
	}
}

func TestWriteOutsideWritePathsDenied(t *testing.T) {
	t.Parallel()
	l := newLayout(t)
	for name, script := range map[string]string{
		"create":   `echo x > "$OUT/new"`,
		"mkdir":    `mkdir "$OUT/newdir"`,
		"append":   `echo x >> "$KEY"`,
		"truncate": `truncate -s 0 "$KEY"`,
		"remove":   `rm -f "$KEY"`,
		"rename":   `mv "$KEY" "$WORK/stolen"`,
		"ro path":  `echo x >> "$RO/data"`,
		"ro trunc": `truncate -s 0 "$RO/data"`,
		"tmp":      `echo x > /tmp/toolgate-escape`,
	} {
		res := run(t, newRunner(t), l.spec(script))
		if res == nil {
			return
		}
		t.Run(name, func(t *testing.T) { mustBeDenied(t, res) })
	}
	assertAbsent(t, filepath.Join(l.outside, "new"))
	assertAbsent(t, filepath.Join(l.outside, "newdir"))
	assertAbsent(t, filepath.Join(l.work, "stolen"))
	assertAbsent(t, "/tmp/toolgate-escape")
	assertUnchanged(t, l.key, keyContent)
	assertUnchanged(t, l.roFile, "read-only data")
}

func TestReadOutsideReadPathsDenied(t *testing.T) {
	t.Parallel()
	l := newLayout(t)
	for name, script := range map[string]string{
		"key file": `cat "$KEY"`,
		"list dir": `ls "$OUT"`,
		"shadow":   `cat /etc/shadow`,
	} {
		res := run(t, newRunner(t), l.spec(script))
		if res == nil {
			return
		}
		t.Run(name, func(t *testing.T) {
			assertNoKey(t, res.Stdout)
			mustBeDenied(t, res)
		})
	}
	// The read path itself is readable: the denials above are not blanket.
	res := run(t, newRunner(t), l.spec(`cat "$RO/data"`))
	if res == nil {
		return
	}
	mustSucceed(t, res)
	if string(res.Stdout) != "read-only data" {
		t.Fatalf("read path content %q", res.Stdout)
	}
}

// Links planted in the write path do not widen access: Landlock checks the
// path actually opened (a symlink's target), and refuses to create a hard
// link that would bring an outside or read-only file into the write path.
func TestLinksDoNotEscape(t *testing.T) {
	t.Parallel()
	l := newLayout(t)
	if err := os.Symlink(l.key, filepath.Join(l.work, "keylink")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(l.outside, filepath.Join(l.work, "dirlink")); err != nil {
		t.Fatal(err)
	}
	for name, script := range map[string]string{
		"read planted symlink":        `cat keylink`,
		"write planted symlink":       `echo x > keylink`,
		"write through dir symlink":   `echo x > dirlink/new`,
		"read through dir symlink":    `cat dirlink/id_ed25519`,
		"tool symlink then read":      `ln -s "$KEY" own && cat own`,
		"tool hard link of key":       `ln "$KEY" hard`,
		"tool hard link of ro file":   `ln "$RO/data" rohard`,
		"tool rename ro file to work": `mv "$RO/data" moved`,
	} {
		res := run(t, newRunner(t), l.spec(script))
		if res == nil {
			return
		}
		t.Run(name, func(t *testing.T) {
			mustBeDenied(t, res)
			assertNoKey(t, res.Stdout)
		})
	}
	assertAbsent(t, filepath.Join(l.work, "hard"))
	assertAbsent(t, filepath.Join(l.work, "rohard"))
	assertAbsent(t, filepath.Join(l.work, "moved"))
	assertAbsent(t, filepath.Join(l.outside, "new"))
	assertUnchanged(t, l.key, keyContent)
	assertUnchanged(t, l.roFile, "read-only data")
}

// A tool running as root must not get at the host's disks by creating a
// device node in its write path.
func TestDeviceNodesDenied(t *testing.T) {
	t.Parallel()
	l := newLayout(t)
	res := run(t, newRunner(t), l.spec(`mknod disk b 8 0 || mknod null c 1 3`))
	if res == nil {
		return
	}
	mustBeDenied(t, res)
	assertAbsent(t, filepath.Join(l.work, "disk"))
	assertAbsent(t, filepath.Join(l.work, "null"))
}
