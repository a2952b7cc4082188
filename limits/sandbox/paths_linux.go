//go:build linux

package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// DefaultPath is the PATH a program name is looked up in when the Spec's
// environment has none.
const DefaultPath = "/usr/local/bin:/usr/bin:/bin"

// procPath is readable only when the sandbox mounted its own procfs there.
const procPath = "/proc"

// systemReadPaths are readable (and executable) in every sandbox: the
// programs, their shared libraries and the loader's configuration, plus
// the non-secret files common tools fail without (user and group names
// for ls -l, time zone, git's system config). /etc as a whole is not: it
// holds keys and shadow passwords. Missing entries are skipped.
var systemReadPaths = []string{
	"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
	"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
	"/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/localtime",
	"/etc/alternatives", "/etc/gitconfig",
	"/dev/zero", "/dev/random", "/dev/urandom",
}

// networkReadPaths are added when the Spec allows the network: name
// resolution and the public CA certificates (not /etc/ssl/private).
var networkReadPaths = []string{
	"/etc/resolv.conf", "/etc/hosts", "/etc/host.conf", "/etc/gai.conf",
	"/etc/ssl/certs", "/etc/ca-certificates",
}

// systemWritePaths are writable in every sandbox.
var systemWritePaths = []string{"/dev/null"}

// hostPathSet holds the entries of systemReadPaths, networkReadPaths and
// systemWritePaths that exist on this host. Callers must not append to its
// slices in place.
type hostPathSet struct {
	read, network, write []string
}

// hostPaths finds the fixed host paths once, at the first run: they depend
// on the host, not on the Spec (which only chooses whether the network ones
// are added). A path removed later is skipped by the helper, which grants
// less; one created later is not granted until the process restarts.
var hostPaths = sync.OnceValue(func() hostPathSet {
	read, _ := existing(systemReadPaths, false, nil)
	network, _ := existing(networkReadPaths, false, nil)
	write, _ := existing(systemWritePaths, false, nil)
	return hostPathSet{read: read, network: network, write: write}
})

// existing returns the paths that exist, and a warning for each that does
// not when warn is set. Paths must be absolute.
func existing(paths []string, warn bool, warnings *[]string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			return nil, fmt.Errorf("%w: path %q is not absolute", ErrInvalidSpec, p)
		}
		if _, err := os.Stat(p); err != nil {
			if warn {
				*warnings = append(*warnings, fmt.Sprintf("path %s skipped: %v", p, err))
			}
			continue
		}
		out = append(out, filepath.Clean(p))
	}
	return out, nil
}

// resolveExecutable finds the program like a shell would: a name without a
// slash in the PATH of env, anything else relative to dir.
func resolveExecutable(name, dir string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return name, checkExecutable(name)
	}
	for _, d := range filepath.SplitList(lookupEnv(env, "PATH", DefaultPath)) {
		if d == "" || !filepath.IsAbs(d) {
			continue // a relative PATH entry would depend on the cwd
		}
		p := filepath.Join(d, name)
		if checkExecutable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: %s not in PATH", ErrNotFound, name)
}

func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w: %s", ErrNotFound, path)
	case err != nil:
		return fmt.Errorf("%w: %v", ErrNotFound, err)
	case !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0:
		return fmt.Errorf("%w: %s is not an executable file", ErrNotFound, path)
	}
	return nil
}

// lookupEnv returns the last value of key in env, or def.
func lookupEnv(env []string, key, def string) string {
	v := def
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}
