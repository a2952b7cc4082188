package middleware_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/mcpgate"
	"github.com/toolgate/toolgate/mcpgate/middleware"
	"github.com/toolgate/toolgate/policies"
)

type readArgs struct {
	Path string `json:"path"`
}

// notes is the example server's file system.
var notes = map[string]string{"notes.txt": "buy milk", "deploy.txt": "key=AKIAIOSFODNN7EXAMPLE"}

func readFile(_ context.Context, _ *mcp.CallToolRequest, a readArgs) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: notes[a.Path]}}}, nil, nil
}

type shellArgs struct {
	Command string `json:"command"`
}

func runShell(context.Context, *mcp.CallToolRequest, shellArgs) (*mcp.CallToolResult, any, error) {
	panic("never called: a viewer may not run shell commands")
}

// A server built with the MCP Go SDK, guarded by one call to Wrap: the
// default policies decide every tool call, the list only shows what the
// caller may use, and secrets in results are redacted.
func Example() {
	ctx := context.Background()
	ps, err := engine.LoadFS(policies.FS(), ".")
	if err != nil {
		log.Fatal(err)
	}
	eng, err := engine.New(ctx, ps, engine.WithWorkspace("/srv/work"))
	if err != nil {
		log.Fatal(err)
	}
	coord, err := coordinator.New(eng)
	if err != nil {
		log.Fatal(err)
	}
	gate, err := mcpgate.New(coord, mcpgate.WithEngine(eng), mcpgate.WithServerName("notes"))
	if err != nil {
		log.Fatal(err)
	}

	server := mcp.NewServer(&mcp.Implementation{Name: "notes", Version: "v1"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "read_file"}, readFile)
	mcp.AddTool(server, &mcp.Tool{Name: "shell.exec"}, runShell)
	middleware.Wrap(server, gate, middleware.Static(engine.Principal{ID: "vic", Roles: []string{"viewer"}}))

	// Any MCP client; here the SDK's, in memory.
	st, ct := mcp.NewInMemoryTransports()
	if _, err := server.Connect(ctx, st, nil); err != nil {
		log.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "agent", Version: "v1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = cs.Close() }()

	list, err := cs.ListTools(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range list.Tools {
		fmt.Println("listed:", t.Name)
	}
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{"read_file", map[string]any{"path": "notes.txt"}},
		{"read_file", map[string]any{"path": "deploy.txt"}},
		{"read_file", map[string]any{"path": "../etc/passwd"}},
		{"shell.exec", map[string]any{"command": "id"}},
	} {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: c.tool, Arguments: c.args})
		if err != nil {
			log.Fatal(err)
		}
		if !res.IsError {
			fmt.Printf("%s %v: %s\n", c.tool, c.args, res.Content[0].(*mcp.TextContent).Text)
			continue
		}
		raw, _ := json.Marshal(res.Meta[mcpgate.RefusalMetaKey])
		var r mcpgate.Refusal
		_ = json.Unmarshal(raw, &r)
		fmt.Printf("%s %v: refused (%s: %s)\n", c.tool, c.args, r.Code, r.Violations[0].Code)
	}
	// Output:
	// listed: read_file
	// read_file map[path:notes.txt]: buy milk
	// read_file map[path:deploy.txt]: key=[REDACTED:aws_access_key]
	// read_file map[path:../etc/passwd]: refused (denied: path_traversal)
	// shell.exec map[command:id]: refused (denied: role_not_permitted)
}
