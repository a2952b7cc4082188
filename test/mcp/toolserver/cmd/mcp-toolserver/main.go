// Command mcp-toolserver runs the integration tests' MCP server over stdio,
// or over streamable HTTP with --http ADDR (it then prints its URL on
// stdout).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolgate/toolgate/test/mcp/toolserver"
)

func main() {
	root := flag.String("root", ".", "directory the file tools work in")
	calls := flag.String("calls", "", "file that gets one line per tool call received")
	addr := flag.String("http", "", "serve streamable HTTP on this address instead of stdio")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := toolserver.New(*root, toolserver.NewCounter(*calls))
	var err error
	if *addr == "" {
		err = srv.Run(ctx, &mcp.StdioTransport{})
	} else {
		err = serveHTTP(ctx, srv, *addr)
	}
	if err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}

func serveHTTP(ctx context.Context, srv *mcp.Server, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	handler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil)
	hs := &http.Server{Handler: handler}
	go func() {
		<-ctx.Done()
		_ = hs.Close()
	}()
	fmt.Printf("http://%s/mcp\n", ln.Addr())
	if err := hs.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
