package sandbox_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/limits/sandbox"
)

// Ordinary tools keep working inside every restriction.

func TestBenignLs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "notes.md"), "hello")
	s := spec("ls", "-la")
	s.Dir, s.ReadPaths = dir, []string{dir}
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	mustSucceed(t, res)
	if !bytes.Contains(res.Stdout, []byte("notes.md")) || !bytes.Contains(res.Stdout, []byte("root")) {
		t.Fatalf("ls output: %s", res.Stdout)
	}
}

func TestBenignGitStatus(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	for _, args := range [][]string{{"init", "-q"}, {"config", "user.email", "t@example.com"}, {"config", "user.name", "t"}} {
		if out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	write(t, filepath.Join(repo, "new.txt"), "x")
	s := spec("git", "status", "--porcelain")
	s.Dir, s.WritePaths = repo, []string{repo}
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	mustSucceed(t, res)
	if strings.TrimSpace(string(res.Stdout)) != "?? new.txt" {
		t.Fatalf("git status: %q", res.Stdout)
	}
}

// go needs a home, a build cache and its GOROOT: the caller grants them,
// nothing else.
func TestBenignGoVersion(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err == nil {
		goBin, err = filepath.EvalSymlinks(goBin)
	}
	if err != nil {
		t.Fatalf("the go tool is needed to build these tests: %v", err)
	}
	goroot := filepath.Dir(filepath.Dir(goBin))
	home := t.TempDir()
	s := spec(goBin, "version")
	s.Env = append(s.Env, "HOME="+home, "GOCACHE="+filepath.Join(home, "cache"), "GOROOT="+goroot)
	s.Dir, s.WritePaths, s.ReadPaths = home, []string{home}, []string{goroot}
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	mustSucceed(t, res)
	if !bytes.HasPrefix(res.Stdout, []byte("go version go")) {
		t.Fatalf("go version: %q", res.Stdout)
	}
}

func TestBenignPython(t *testing.T) {
	t.Parallel()
	res := run(t, newRunner(t), spec("python3", "-c", "import json, sys; print(json.dumps(sum(range(10))))"))
	if res == nil {
		return
	}
	mustSucceed(t, res)
	if string(res.Stdout) != "45\n" {
		t.Fatalf("python: %q %s", res.Stdout, res.Stderr)
	}
}

func TestBenignWritesInsideWritePath(t *testing.T) {
	t.Parallel()
	l := newLayout(t)
	res := run(t, newRunner(t), l.spec(`echo data > out.txt && mkdir -p sub/deep && echo more > sub/deep/f &&
		mv out.txt renamed.txt && ln -s renamed.txt link && cat link && truncate -s 2 renamed.txt && rm -r sub`))
	if res == nil {
		return
	}
	mustSucceed(t, res)
	if string(res.Stdout) != "data\n" {
		t.Fatalf("stdout %q", res.Stdout)
	}
	got, err := os.ReadFile(filepath.Join(l.work, "renamed.txt"))
	if err != nil || string(got) != "da" {
		t.Fatalf("renamed.txt: %q, %v", got, err)
	}
	assertAbsent(t, filepath.Join(l.work, "sub"))
	if !hasLayer(res, sandbox.LayerLandlockFS) {
		t.Fatalf("layers %v lack %s: the write succeeded unconfined", res.Layers, sandbox.LayerLandlockFS)
	}
}
