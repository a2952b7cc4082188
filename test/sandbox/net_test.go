package sandbox_test

import (
	"net"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/toolgate/toolgate/limits/sandbox"
)

// listener accepts on 127.0.0.1 and counts connections, so a test sees
// whether a tool got through, not only whether it said it failed.
func listener(t *testing.T) (port string, accepted *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	accepted = new(atomic.Int64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			_ = c.Close()
		}
	}()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), accepted
}

// connect is a tool that opens a TCP connection and exits 0 on success.
func connect(port string) sandbox.Spec {
	return spec("python3", "-c",
		"import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=3)", port)
}

// With network "none", on the full host and with each layer alone, a TCP
// connect to a listener on the host's loopback fails and never arrives.
func TestNetworkNoneBlocksLoopbackTCP(t *testing.T) {
	t.Parallel()
	runners := map[string]*sandbox.Runner{
		"all layers":   newRunner(t),
		"seccomp only": newRunnerWithout(t, sandbox.FeatureNetNamespace),
		"netns only":   newRunnerWithout(t, sandbox.FeatureSeccomp),
	}
	port, accepted := listener(t)
	for name, r := range runners {
		t.Run(name, func(t *testing.T) {
			res := run(t, r, connect(port))
			if res == nil {
				return
			}
			mustFail(t, res)
			bash := run(t, r, spec("/bin/bash", "-c", "echo x > /dev/tcp/127.0.0.1/"+port))
			mustFail(t, bash)
		})
	}
	if n := accepted.Load(); n != 0 {
		t.Fatalf("listener accepted %d connections from sandboxed tools", n)
	}
}

// The control: the same tool with network "any" does connect, so the
// failures above come from the sandbox, not from the tool or the listener.
func TestNetworkAnyConnects(t *testing.T) {
	t.Parallel()
	port, accepted := listener(t)
	s := connect(port)
	s.Network = sandbox.NetworkAny
	res := run(t, newRunner(t), s)
	if res == nil {
		return
	}
	mustSucceed(t, res)
	if accepted.Load() != 1 {
		t.Fatalf("listener accepted %d connections, want 1", accepted.Load())
	}
}

// Unix sockets stay usable without network: tools use them internally.
func TestNetworkNoneKeepsUnixSockets(t *testing.T) {
	t.Parallel()
	res := run(t, newRunner(t), spec("python3", "-c",
		"import socket; a, b = socket.socketpair(); a.send(b'ok'); print(b.recv(2).decode())"))
	if res == nil {
		return
	}
	mustSucceed(t, res)
	if string(res.Stdout) != "ok\n" {
		t.Fatalf("stdout %q", res.Stdout)
	}
}
