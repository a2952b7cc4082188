package facts

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"time"
)

// Limits of symlink resolution.
const (
	// maxSymlinks is Linux's MAXSYMLINKS: the kernel gives up (ELOOP) there too.
	maxSymlinks = 40
	// maxResolveSteps bounds the Lstat calls of one resolution.
	maxResolveSteps = 256
)

var errSymlinkLoop = errors.New("too many levels of symbolic links")

// workspace holds the workspace root lexically and with symlinks resolved,
// so that a path's real form is compared with the workspace's real form
// (a workspace under a symlinked /srv must not make every path "outside").
type workspace struct {
	root, rootReal string
}

// workspaceTTL is how long a resolved workspace root is reused. The
// workspace is site configuration, not caller input, and resolving it for
// every path would double the file-system lookups of the hot path; a
// workspace re-pointed by an operator is seen within this delay.
const workspaceTTL = time.Second

type cachedWorkspace struct {
	dir     string
	ws      workspace
	expires time.Time
}

var lastWorkspace atomic.Pointer[cachedWorkspace]

func newWorkspace(dir string) (workspace, error) {
	now := time.Now()
	if c := lastWorkspace.Load(); c != nil && c.dir == dir && now.Before(c.expires) {
		return c.ws, nil
	}
	if !path.IsAbs(dir) {
		return workspace{}, fmt.Errorf("workspace %q is not an absolute path", dir)
	}
	c := path.Clean(dir)
	r, err := realPath(c)
	if err != nil {
		return workspace{}, fmt.Errorf("resolve workspace %q: %w", dir, err)
	}
	ws := workspace{root: c, rootReal: r}
	lastWorkspace.Store(&cachedWorkspace{dir: dir, ws: ws, expires: now.Add(workspaceTTL)})
	return ws, nil
}

// clean makes p absolute (relative to the workspace) and lexically clean.
// A home path keeps its ~ or ~user head: its real location is unknown here.
func (w workspace) cleanPath(p string) string {
	if isHomePath(p) {
		head, rest, found := strings.Cut(p, "/")
		if !found {
			return head
		}
		return head + path.Clean("/"+rest)
	}
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(w.root, p)
}

// real resolves the symlinks of clean; home and NUL paths are left lexical
// because no file system lookup can be made for them.
func (w workspace) realPath(decoded, clean string) (string, error) {
	if isHomePath(decoded) || strings.IndexByte(clean, 0) >= 0 {
		return clean, nil
	}
	return w.resolve(clean)
}

// resolve is realPath(p); below the workspace it starts from the resolved
// root, which is what walking the root's own components would give.
func (w workspace) resolve(p string) (string, error) {
	if w.root != "/" && within(p, w.root) {
		return resolveFrom(w.rootReal, p[len(w.root):])
	}
	return realPath(p)
}

func (w workspace) contains(clean, real string) bool {
	return within(clean, w.root) && within(real, w.rootReal)
}

// allReadingsInside checks every other reading of the text: each decoding
// stage (and the path of each that is a file URI) as is, with '\' as a
// separator, and with look-alikes folded. A file
// literally named "a%2fb" or "a\b" may be a symlink out of the workspace
// while "a/b" is not, so each reading is resolved on its own. canonical is
// the clean path already checked by the caller.
func (w workspace) allReadingsInside(stages []string, canonical string) (bool, error) {
	seen := []string{canonical}
	for _, stage := range stages {
		for _, slashed := range [2]bool{false, true} {
			if slashed && !strings.Contains(stage, `\`) {
				continue
			}
			v := stage
			if slashed {
				v = strings.ReplaceAll(stage, `\`, "/")
			}
			for _, fold := range [2]bool{false, true} {
				x := v
				if fold {
					var changed bool
					if x, changed = foldLookalikes(v); !changed {
						continue
					}
				}
				ok, err := w.readingInside(x, &seen)
				if !ok || err != nil {
					return false, err
				}
			}
		}
	}
	return true, nil
}

func (w workspace) readingInside(p string, seen *[]string) (bool, error) {
	if strings.IndexByte(p, 0) >= 0 || isHomePath(p) || foreignRoot(p) {
		return false, nil
	}
	c := w.cleanPath(p)
	for _, s := range *seen {
		if s == c {
			return true, nil
		}
	}
	*seen = append(*seen, c)
	if len(c) > maxPathBytes {
		return false, nil
	}
	r, err := w.resolve(c)
	if err != nil {
		return false, err
	}
	return w.contains(c, r), nil
}

// within reports whether p is root or below it; both are clean and absolute.
func within(p, root string) bool {
	if root == "/" {
		return strings.HasPrefix(p, "/")
	}
	return p == root || (strings.HasPrefix(p, root) && p[len(root)] == '/')
}

// realPath resolves the symlinks of the existing prefix of the clean,
// absolute path p, component by component as the kernel does: ".." in a link
// target climbs from where the link points. From the first component that
// does not exist (or cannot be examined) the rest is joined lexically,
// because nothing on disk can redirect it yet. The result describes the file
// system at this moment; the sandbox, not this fact, closes the race with a
// symlink created later.
func realPath(p string) (string, error) {
	return resolveFrom("/", p)
}

// resolveFrom resolves rest (a relative or absolute path) starting in dest,
// an absolute, already resolved directory.
func resolveFrom(dest, rest string) (string, error) {
	links, steps := 0, 0
	for {
		rest = strings.TrimLeft(rest, "/")
		if rest == "" {
			return dest, nil
		}
		comp, tail, _ := strings.Cut(rest, "/")
		rest = tail
		switch comp {
		case ".":
			continue
		case "..":
			dest = path.Dir(dest)
			continue
		}
		if steps++; steps > maxResolveSteps {
			return "", fmt.Errorf("path has more than %d components to resolve", maxResolveSteps)
		}
		next := dest + "/" + comp
		if dest == "/" {
			next = "/" + comp
		}
		fi, err := os.Lstat(next)
		if err != nil {
			return path.Join(next, rest), nil
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			dest = next
			continue
		}
		if links++; links > maxSymlinks {
			return "", errSymlinkLoop
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", fmt.Errorf("read symlink %q: %w", next, err)
		}
		if path.IsAbs(target) {
			dest = "/"
		}
		rest = target + "/" + rest
	}
}
