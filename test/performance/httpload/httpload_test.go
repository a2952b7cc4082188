//go:build httpload

// Package httpload compares `policyctl serve` /v1/check with a stock OPA
// server (`opa run --server`) answering the same policies for the same call,
// in one run, at 1, 8 and 64 concurrent loopback clients. It builds OPA,
// which takes minutes, so it only runs with the httpload build tag:
//
//	go test -tags httpload -run TestHTTPLoad -v -timeout 30m ./test/performance/httpload
//
// OPA_BIN=/path/to/opa skips building OPA; HTTPLOAD_DURATION (default 6s)
// is the measuring time per server and concurrency level. Numbers go to
// docs/performance.md ("HTTP").
package httpload

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

const (
	callFile    = "../../../examples/calls/01-dev-read-notes.json"
	policyDir   = "../../../policies"
	opaModule   = "github.com/open-policy-agent/opa@v1.22.3"
	maxRequests = 2_000_000 // per run, whatever the duration
	warmup      = 300
)

var levels = []int{1, 8, 64}

// target is one server under test.
type target struct {
	name, url string
	body      []byte
	client    *http.Client
}

func TestHTTPLoad(t *testing.T) {
	dur := 6 * time.Second
	if s := os.Getenv("HTTPLOAD_DURATION"); s != "" {
		var err error
		dur, err = time.ParseDuration(s)
		require.NoError(t, err)
	}
	tmp := t.TempDir()
	callDoc, err := os.ReadFile(callFile)
	require.NoError(t, err)
	tg := startToolgate(t, tmp, callDoc)
	opa := startOPA(t, tmp, callDoc)
	for _, tgt := range []target{tg, opa} {
		for i := 0; i < warmup; i++ {
			require.NoError(t, tgt.once(), tgt.name)
		}
	}
	t.Logf("| server | clients | requests | decisions/s | p50 | p99 | errors |")
	t.Logf("| --- | --- | --- | --- | --- | --- | --- |")
	for _, c := range levels {
		// halves interleaved, so drift on a shared machine hits both alike
		a1, b1 := tg.run(c, dur/2), opa.run(c, dur/2)
		a2, b2 := tg.run(c, dur/2), opa.run(c, dur/2)
		t.Log(a1.merge(a2).row(tg.name, c))
		t.Log(b1.merge(b2).row(opa.name, c))
	}
}

// once sends one request and checks the call was allowed.
func (tg target) once() error {
	resp, err := tg.client.Post(tg.url, "application/json", bytes.NewReader(tg.body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Result   *struct{ Allow bool } `json:"result"`
		Decision *struct{ Allow bool } `json:"decision"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || (out.Result == nil && out.Decision == nil) {
		return fmt.Errorf("%s: status %d", tg.name, resp.StatusCode)
	}
	if (out.Result != nil && !out.Result.Allow) || (out.Decision != nil && !out.Decision.Allow) {
		return fmt.Errorf("%s: the call was not allowed", tg.name)
	}
	return nil
}

type stats struct {
	lat     []time.Duration
	errors  int64
	elapsed time.Duration
}

func (tg target) run(clients int, d time.Duration) stats {
	var total, errs atomic.Int64
	lats := make([][]time.Duration, clients)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for time.Now().Before(deadline) && total.Add(1) <= maxRequests {
				t0 := time.Now()
				if err := tg.post(); err != nil {
					errs.Add(1)
					continue
				}
				lats[i] = append(lats[i], time.Since(t0))
			}
		}(i)
	}
	wg.Wait()
	s := stats{errors: errs.Load(), elapsed: time.Since(start)}
	for _, l := range lats {
		s.lat = append(s.lat, l...)
	}
	return s
}

func (tg target) post() error {
	resp, err := tg.client.Post(tg.url, "application/json", bytes.NewReader(tg.body))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func (s stats) merge(o stats) stats {
	return stats{lat: append(s.lat, o.lat...), errors: s.errors + o.errors, elapsed: s.elapsed + o.elapsed}
}

func (s stats) row(name string, clients int) string {
	sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	q := func(p float64) time.Duration {
		if len(s.lat) == 0 {
			return 0
		}
		return s.lat[int(p*float64(len(s.lat)-1))]
	}
	rate := float64(len(s.lat)) / s.elapsed.Seconds()
	return fmt.Sprintf("| %s | %d | %d | %.0f | %s | %s | %d |", name, clients, len(s.lat), rate,
		q(0.50).Round(time.Microsecond), q(0.99).Round(time.Microsecond), s.errors)
}

func newClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: 128, MaxConnsPerHost: 128, DisableCompression: true,
	}}
}

// startToolgate runs policyctl serve on the embedded library, rate limits
// raised so the load measures decisions, not 429s.
func startToolgate(t *testing.T, tmp string, callDoc []byte) target {
	bin := filepath.Join(tmp, "policyctl")
	build := exec.Command("go", "build", "-o", bin, "github.com/toolgate/toolgate/cmd/policyctl")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	cfg := filepath.Join(tmp, "config.yaml")
	// Far more than a run sends, and within what the in-memory store can
	// refill (limit² below the period in ns).
	const unlimited = `{limit: 1000000, per: 24h}`
	require.NoError(t, os.WriteFile(cfg, []byte(`log: {level: error}
settings:
  rate_limits: {principal_tool: `+unlimited+`, principal: `+unlimited+`, session: `+unlimited+`, tools: {}}
`), 0o600))
	cmd := exec.Command(bin, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	url := startAndScan(t, cmd, regexp.MustCompile(`listening on (http://\S+)`))
	return target{name: "policyctl serve", url: url + "/v1/check", body: callDoc, client: newClient()}
}

// startOPA runs a stock OPA server on the same policy files, and sends it
// the complete input document toolgate builds for the call (facts
// included), as a user of OPA alone would have to.
func startOPA(t *testing.T, tmp string, callDoc []byte) target {
	bin := os.Getenv("OPA_BIN")
	if bin == "" {
		gobin := filepath.Join(tmp, "gobin")
		inst := exec.Command("go", "install", opaModule)
		inst.Env = append(os.Environ(), "GOBIN="+gobin)
		inst.Stderr = os.Stderr
		require.NoError(t, inst.Run(), "building OPA")
		bin = filepath.Join(gobin, "opa")
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "run", "--server", "--addr", addr, "--log-level", "error", materialized(t, bin, tmp))
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := "http://" + addr
	require.Eventually(t, func() bool {
		resp, err := http.Get(url + "/health")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	}, 60*time.Second, 100*time.Millisecond)
	return target{name: "opa run --server", url: url + "/v1/data/toolgate/decision",
		body: opaInput(t, callDoc), client: newClient()}
}

// materialized copies the policy files for OPA the way the engine serves
// them: data.toolgate.tables evaluated once (opa eval) and served as data,
// its rules left out. Given the rules, OPA would evaluate the tables per
// query, which is correct but several times slower, and not what a user
// after speed would deploy (docs/policy-authoring.md).
func materialized(t *testing.T, bin, tmp string) string {
	dir := filepath.Join(tmp, "opa-policies")
	require.NoError(t, filepath.WalkDir(policyDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(policyDir, path)
		if err != nil {
			return err
		}
		keep := filepath.Ext(path) == ".json" || (filepath.Ext(path) == ".rego" && !strings.HasSuffix(path, "_test.rego"))
		if !keep || rel == filepath.Join("toolgate", "tables", "tables.rego") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755))
		return os.WriteFile(filepath.Join(dir, rel), b, 0o600)
	}))
	env := filepath.Join(tmp, "environment.json")
	require.NoError(t, os.WriteFile(env, []byte(`{"environment": {"workspace": "`+engine.DefaultWorkspace+`"}}`), 0o600))
	out, err := exec.Command(bin, "eval", "--format", "raw", "-d", policyDir, "-i", env, engine.TablesPackage).Output()
	require.NoError(t, err, "opa eval %s", engine.TablesPackage)
	tables := filepath.Join(dir, "toolgate", "tables")
	require.NoError(t, os.MkdirAll(tables, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(tables, "data.json"), out, 0o600))
	return dir
}

func opaInput(t *testing.T, callDoc []byte) []byte {
	ps, err := engine.LoadDefault()
	require.NoError(t, err)
	eng, err := engine.New(context.Background(), ps)
	require.NoError(t, err)
	call, err := engine.ParseCall(callDoc, engine.Limits{})
	require.NoError(t, err)
	in, err := eng.Input(call)
	require.NoError(t, err)
	v, err := ast.JSON(in)
	require.NoError(t, err)
	b, err := json.Marshal(map[string]any{"input": v})
	require.NoError(t, err)
	return b
}

func startAndScan(t *testing.T, cmd *exec.Cmd, re *regexp.Regexp) string {
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
		return ""
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
