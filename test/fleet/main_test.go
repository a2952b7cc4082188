// Package fleet runs real `policyctl serve` processes against real Redis:
// a shared rate limit across replicas, Redis outages, live policy reloads
// under load, and authentication over the wire. Everything listens on
// loopback; every loop is bounded.
package fleet

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// bin is the policyctl binary built once for the package.
var bin string

const (
	startTimeout = 60 * time.Second
	stopTimeout  = 15 * time.Second
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "toolgate-fleet-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "policyctl")
	build := exec.Command("go", "build", "-o", bin, "github.com/toolgate/toolgate/cmd/policyctl")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build policyctl:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// replica is one running `policyctl serve`.
type replica struct {
	url    string
	cmd    *exec.Cmd
	stderr *syncBuffer
}

var listening = regexp.MustCompile(`listening on (https?://\S+)`)

// startServe runs serve with the YAML configuration cfg on a free loopback
// port and waits until it listens. Cleanup stops it with SIGTERM and
// requires a clean exit.
func startServe(t *testing.T, cfg string) *replica {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	cmd := exec.Command(bin, "serve", "--config", path, "--addr", "127.0.0.1:0")
	r := &replica{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stderr = r.stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				lines <- m[1]
			}
		}
		close(lines)
	}()
	select {
	case u, ok := <-lines:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("serve exited before listening: %s", r.stderr)
		}
		r.url = u
	case <-time.After(startTimeout):
		_ = cmd.Process.Kill()
		t.Fatalf("serve did not listen within %s: %s", startTimeout, r.stderr)
	}
	t.Cleanup(func() { r.stop(t) })
	return r
}

func (r *replica) stop(t *testing.T) {
	t.Helper()
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve did not exit cleanly on SIGTERM: %v\n%s", err, r.stderr)
		}
	case <-time.After(stopTimeout):
		_ = r.cmd.Process.Kill()
		t.Errorf("serve ignored SIGTERM for %s", stopTimeout)
	}
	if strings.Contains(r.stderr.String(), "panic") {
		t.Errorf("serve panicked:\n%s", r.stderr)
	}
}

var client = &http.Client{
	Timeout:   10 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 64},
}

type result struct {
	status int
	header http.Header
	body   map[string]any
}

func (r result) code() string {
	if e, ok := r.body["error"].(map[string]any); ok {
		return e["code"].(string)
	}
	return ""
}

func (r result) decision() map[string]any {
	d, _ := r.body["decision"].(map[string]any)
	return d
}

// post sends a JSON body; headers are name, value pairs.
func post(url, body string, headers ...string) (result, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return result{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return send(req)
}

func get(url string) (result, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return result{}, err
	}
	return send(req)
}

func send(req *http.Request) (result, error) {
	resp, err := client.Do(req)
	if err != nil {
		return result{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return result{}, err
	}
	r := result{status: resp.StatusCode, header: resp.Header}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			return r, fmt.Errorf("%s: %w", raw, err)
		}
	}
	return r, nil
}

// metrics returns the text of /metrics.
func metrics(t *testing.T, r *replica) string {
	t.Helper()
	resp, err := client.Get(r.url + "/metrics")
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func call(tool, principal, role string) string {
	b, _ := json.Marshal(map[string]any{
		"tool":      map[string]any{"name": tool, "arguments": map[string]any{}},
		"principal": map[string]any{"id": principal, "roles": []string{role}},
	})
	return string(b)
}

// syncBuffer is a bytes.Buffer safe for the process' writer and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
