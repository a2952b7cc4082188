package reload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/toolgate/toolgate/engine"
)

// MaxSetBytes bounds a policy set: a directory snapshot or a bundle.
const MaxSetBytes = 64 << 20

// policyExts are the files a policy directory contributes.
var policyExts = map[string]bool{".rego": true, ".json": true, ".yaml": true, ".yml": true}

// Dir is a policy directory, watched with fsnotify (and polled, for file
// systems that do not report changes). Each fetch first copies the
// directory, so the tests and the compiler see the same files even while
// an editor is still writing.
type Dir struct {
	dir      string
	interval time.Duration
	lastHash string
}

// NewDir returns a source for dir, also polled every interval.
func NewDir(dir string, interval time.Duration) *Dir { return &Dir{dir: dir, interval: interval} }

func (d *Dir) String() string { return "dir:" + d.dir }

// Fetch snapshots the directory and loads the snapshot.
func (d *Dir) Fetch(context.Context) (*Candidate, error) {
	tmp, err := os.MkdirTemp("", "toolgate-policies-")
	if err != nil {
		return nil, stageErr(StageFetch, err)
	}
	c := &Candidate{dir: tmp, origin: d.dir}
	hash, err := snapshot(d.dir, tmp)
	if err != nil {
		c.Close()
		return nil, stageErr(StageFetch, err)
	}
	if hash == d.lastHash {
		c.Close()
		return nil, nil
	}
	d.lastHash = hash
	if c.Set, err = engine.LoadDir(tmp); err != nil {
		c.Close()
		return nil, stageErr(StageCompile, err)
	}
	return c, nil
}

// snapshot copies the policy files of src into dst and returns a hash of
// their names and contents. Hidden entries (".git", Kubernetes' "..data"
// directories) are skipped; symlinked files are followed.
func snapshot(src, dst string) (string, error) {
	h := sha256.New()
	total := 0
	err := filepath.WalkDir(src, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != src && strings.HasPrefix(e.Name(), ".") {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() || !policyExts[filepath.Ext(e.Name())] {
			return nil
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		n, err := copyFile(path, filepath.Join(dst, rel), MaxSetBytes-total)
		total += n
		_, _ = fmt.Fprintf(h, "%s\x00%d\x00", rel, n)
		if err == nil {
			err = hashFile(h, filepath.Join(dst, rel))
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("snapshot %s: %w", src, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func copyFile(src, dst string, budget int) (int, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer func() { _ = in.Close() }()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return 0, err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(in, int64(budget)+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > int64(budget) {
		err = fmt.Errorf("policy files exceed %d bytes", MaxSetBytes)
	}
	return int(n), err
}

func hashFile(h io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	_, err = io.Copy(h, f)
	return err
}

// Watch reports file events under the directory (new subdirectories are
// watched as they appear) and polls as a safety net.
func (d *Dir) Watch(ctx context.Context, notify func()) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer func() { _ = w.Close() }()
	if err := addTree(w, d.dir); err != nil {
		return err
	}
	// Changes made between the first load and now produced no event.
	notify()
	go func() { _ = poll(ctx, d.interval, notify) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return errors.New("watcher closed")
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					_ = addTree(w, ev.Name)
				}
			}
			notify()
		case err, ok := <-w.Errors:
			if !ok {
				return errors.New("watcher closed")
			}
			_ = err // an overflow loses events: reload to catch up
			notify()
		}
	}
}

func addTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return err
		}
		if path != root && strings.HasPrefix(e.Name(), ".") {
			return filepath.SkipDir
		}
		return w.Add(path)
	})
}
