// Package audit_test holds the audit trail's integration tests: a writer
// killed mid-write, a full disk, a NATS outage. Child writers are this test
// binary re-executed with TOOLGATE_AUDIT_CHILD set.
package audit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/engine"
)

// childEnv selects a child role; childPathEnv is the log it writes.
const (
	childEnv     = "TOOLGATE_AUDIT_CHILD"
	childPathEnv = "TOOLGATE_AUDIT_CHILD_PATH"
)

var children = map[string]func(path string) error{
	"writer": runWriter,
	"fsize":  runFileSizeLimited,
}

func TestMain(m *testing.M) {
	if role := os.Getenv(childEnv); role != "" {
		run := children[role]
		if run == nil {
			fmt.Fprintln(os.Stderr, "unknown child role", role)
			os.Exit(2)
		}
		if err := run(os.Getenv(childPathEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child returns the command that runs this binary in role.
func child(t *testing.T, role, path string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role, childPathEnv+"="+path)
	cmd.Stderr = os.Stderr
	return cmd
}

var ctx = context.Background()

// call returns a call whose arguments carry pad bytes of text.
func call(i, pad int) engine.Call {
	return engine.Call{
		Tool:      engine.Tool{Name: "fs.write_file", Arguments: map[string]any{"path": fmt.Sprintf("out/%d.txt", i), "content": strings.Repeat("a", pad)}},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}},
	}
}

func decision(l *audit.Logger, i, pad int) error {
	return l.Decision(ctx, audit.DecisionEvent{DecisionID: fmt.Sprint("d-", i), Call: call(i, pad), Decision: engine.Decision{ID: fmt.Sprint("d-", i), Allow: true}})
}

// verify checks the log at path and its rotated files.
func verify(t *testing.T, opts audit.VerifyOptions, path string) *audit.Report {
	t.Helper()
	ext := filepath.Ext(path)
	files, _ := filepath.Glob(strings.TrimSuffix(path, ext) + "-*" + ext)
	files = append(files, path)
	ordered, err := audit.OrderFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	var srcs []audit.Source
	for _, p := range ordered {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = f.Close() }()
		srcs = append(srcs, audit.Source{Name: filepath.Base(p), R: f})
	}
	rep, err := audit.Verify(opts, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// childResult is what a child reports on stdout.
type childResult struct {
	OK, Failed int
	Seq        uint64
	Hash       string
	Errors     []string
}

func (r childResult) print() error { return json.NewEncoder(os.Stdout).Encode(r) }
