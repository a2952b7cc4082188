// Package toolserver is a real MCP server, built with the official Go SDK,
// that the integration tests put behind toolgate: file, shell and fetch
// tools, a resource and a prompt. Every tool call it receives is counted, in
// memory and, when configured, as one line in a file, so a test can prove a
// denied call never reached it.
package toolserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Name is the server's name in its initialize result.
const Name = "toolgate-test-server"

// Bounds of the tools.
const (
	fetchTimeout  = 5 * time.Second
	maxFetchBytes = 1 << 20
	shellTimeout  = 10 * time.Second
)

// Counter records every tool call the server receives.
type Counter struct {
	n    atomic.Int64
	mu   sync.Mutex
	file string // one line per call, appended; empty: memory only
}

// NewCounter counts in memory and, if file is not empty, in file.
func NewCounter(file string) *Counter { return &Counter{file: file} }

// Calls is the number of tool calls received so far.
func (c *Counter) Calls() int64 { return c.n.Load() }

func (c *Counter) record(tool string) error {
	c.n.Add(1)
	if c.file == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f, err := os.OpenFile(c.file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(f, tool)
	return errors.Join(err, f.Close())
}

// New returns the server. Files are read and written under root.
func New(root string, counter *Counter) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: Name, Version: "v1.0.0"}, nil)
	t := tools{root: root, counter: counter}
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true}
	mcp.AddTool(s, &mcp.Tool{Name: "read_file", Description: "Read a text file", Annotations: readOnly}, t.readFile)
	mcp.AddTool(s, &mcp.Tool{Name: "write_file", Description: "Write a text file"}, t.writeFile)
	mcp.AddTool(s, &mcp.Tool{Name: "shell.exec", Description: "Run a shell command"}, t.shell)
	mcp.AddTool(s, &mcp.Tool{Name: "fetch", Description: "Fetch a URL"}, t.fetch)
	mcp.AddTool(s, &mcp.Tool{Name: "debug_dump", Description: "Dump server state (not in any catalog)"}, t.debug)
	s.AddResource(&mcp.Resource{URI: "test://readme", Name: "readme", MIMEType: "text/plain"}, readme)
	s.AddPrompt(&mcp.Prompt{Name: "greet", Arguments: []*mcp.PromptArgument{{Name: "name", Required: true}}}, greet)
	return s
}

type tools struct {
	root    string
	counter *Counter
}

// PathArgs are the arguments of read_file.
type PathArgs struct {
	Path string `json:"path" jsonschema:"a path under the workspace"`
}

// WriteArgs are the arguments of write_file.
type WriteArgs struct {
	Path    string `json:"path" jsonschema:"a path under the workspace"`
	Content string `json:"content" jsonschema:"the text to write"`
}

// ShellArgs are the arguments of shell.exec.
type ShellArgs struct {
	Command string `json:"command" jsonschema:"a shell command"`
}

// FetchArgs are the arguments of fetch.
type FetchArgs struct {
	URL string `json:"url" jsonschema:"an http or https URL"`
}

func text(s string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}
}

func (t tools) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(t.root, p)
}

func (t tools) readFile(_ context.Context, _ *mcp.CallToolRequest, a PathArgs) (*mcp.CallToolResult, any, error) {
	if err := t.counter.record("read_file"); err != nil {
		return nil, nil, err
	}
	b, err := os.ReadFile(t.path(a.Path))
	if err != nil {
		return nil, nil, err
	}
	return text(string(b)), nil, nil
}

func (t tools) writeFile(_ context.Context, _ *mcp.CallToolRequest, a WriteArgs) (*mcp.CallToolResult, any, error) {
	if err := t.counter.record("write_file"); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(t.path(a.Path), []byte(a.Content), 0o600); err != nil {
		return nil, nil, err
	}
	return text(fmt.Sprintf("wrote %d bytes", len(a.Content))), nil, nil
}

func (t tools) shell(ctx context.Context, _ *mcp.CallToolRequest, a ShellArgs) (*mcp.CallToolResult, any, error) {
	if err := t.counter.record("shell.exec"); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, shellTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", a.Command)
	cmd.Dir = t.root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, nil, fmt.Errorf("%v: %s", err, out)
	}
	return text(string(out)), nil, nil
}

func (t tools) fetch(ctx context.Context, _ *mcp.CallToolRequest, a FetchArgs) (*mcp.CallToolResult, any, error) {
	if err := t.counter.record("fetch"); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.URL, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes))
	if err != nil {
		return nil, nil, err
	}
	return text(string(body)), nil, nil
}

func (t tools) debug(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
	if err := t.counter.record("debug_dump"); err != nil {
		return nil, nil, err
	}
	return text("root=" + t.root), nil, nil
}

// ReadmeText is the text of the test://readme resource.
const ReadmeText = "this resource passes through toolgate unchanged"

func readme(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{
		{URI: req.Params.URI, MIMEType: "text/plain", Text: ReadmeText},
	}}, nil
}

func greet(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
	return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{
		{Role: "user", Content: &mcp.TextContent{Text: "Say hello to " + req.Params.Arguments["name"]}},
	}}, nil
}
