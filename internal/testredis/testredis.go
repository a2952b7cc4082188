// Package testredis gives tests a Redis: the shared one at 127.0.0.1:6379
// (CI starts it; tests fail rather than skip without it), or a private
// redis-server on a random loopback port that a test may kill and restart.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// SharedURLEnv overrides the shared Redis URL.
const SharedURLEnv = "TOOLGATE_REDIS_URL"

// DefaultSharedURL is the machine's Redis, which .ci/run keeps up.
const DefaultSharedURL = "redis://127.0.0.1:6379/0"

const (
	startTimeout = 5 * time.Second
	pollEvery    = 20 * time.Millisecond
)

// SharedURL returns the shared Redis URL after checking it answers. The
// fleet tests must run in CI: an unreachable Redis fails the test.
func SharedURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(SharedURLEnv)
	if url == "" {
		url = DefaultSharedURL
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("%s: %v", SharedURLEnv, err)
	}
	c := redis.NewClient(opt)
	defer func() { _ = c.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("redis at %s is not answering (start it: see .ci/run): %v", url, err)
	}
	return url
}

// UniquePrefix returns a key prefix no other test run uses.
func UniquePrefix(t testing.TB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "toolgate-test:" + hex.EncodeToString(b[:]) + ":"
}

// Server is a private redis-server.
type Server struct {
	Addr string
	dir  string
	cmd  *exec.Cmd
}

// Start runs redis-server on a free loopback port, without persistence, and
// stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is needed for outage tests: %v", err)
	}
	s := &Server{Addr: freeAddr(t), dir: t.TempDir()}
	s.start(t, bin)
	t.Cleanup(s.Kill)
	return s
}

// URL is the server's redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Kill stops the server at once (SIGKILL), as a crash would.
func (s *Server) Kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Restart starts the server again on the same port.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Kill()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal(err)
	}
	s.start(t, bin)
}

func (s *Server) start(t testing.TB, bin string) {
	t.Helper()
	_, port, _ := net.SplitHostPort(s.Addr)
	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", port, "--save", "",
		"--appendonly", "no", "--dir", s.dir, "--logfile", "")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	s.cmd = cmd
	if err := waitPing(s.URL()); err != nil {
		s.Kill()
		t.Fatalf("redis-server on %s: %v", s.Addr, err)
	}
}

func waitPing(url string) error {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return err
	}
	c := redis.NewClient(opt)
	defer func() { _ = c.Close() }()
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), pollEvery*5)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not answering after %s: %w", startTimeout, err)
		}
		time.Sleep(pollEvery)
	}
}

// freeAddr picks a loopback port that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
