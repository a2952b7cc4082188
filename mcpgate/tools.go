package mcpgate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// toolInfo is what the server said about one tool in tools/list: the
// annotations go into the call document, the input schema is checked before
// any call reaches the server.
type toolInfo struct {
	annotations map[string]any
	rawSchema   json.RawMessage // the schema as listed, to recompile only when it changes
	schema      *jsonschema.Schema
	schemaErr   error // the server's schema did not compile: calls are refused
}

// toolCache holds the tools the server listed, shared by all sessions of a
// gate. Pages are merged; notifications/tools/list_changed resets it.
type toolCache struct {
	mu    sync.RWMutex
	tools map[string]toolInfo
}

func newToolCache() *toolCache { return &toolCache{tools: map[string]toolInfo{}} }

func (c *toolCache) get(name string) (toolInfo, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t, ok := c.tools[name]
	return t, ok
}

func (c *toolCache) put(name string, t toolInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tools[name] = t
}

// learn records a listed tool. Its schema is compiled only when it differs
// from the one already cached under that name: tools/list responses repeat
// the same schemas, and compiling each on every listing is wasted work.
func (c *toolCache) learn(t listedTool) {
	if old, ok := c.get(t.Name); ok && bytes.Equal(old.rawSchema, t.InputSchema) {
		c.put(t.Name, toolInfo{
			annotations: t.Annotations, rawSchema: old.rawSchema, schema: old.schema, schemaErr: old.schemaErr,
		})
		return
	}
	c.put(t.Name, learnTool(t))
}

func (c *toolCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tools = map[string]toolInfo{}
}

// listedTool is the part of an MCP Tool the gate reads.
type listedTool struct {
	Name        string          `json:"name"`
	Annotations map[string]any  `json:"annotations"`
	InputSchema json.RawMessage `json:"inputSchema"`
}

func learnTool(t listedTool) toolInfo {
	info := toolInfo{annotations: t.Annotations, rawSchema: t.InputSchema}
	info.schema, info.schemaErr = compileToolSchema(t.Name, t.InputSchema)
	return info
}

// errNoLoader refuses every $ref outside the schema: a server's schema must
// not make toolgate read local files or fetch URLs.
var errNoLoader = errors.New("external schema references are not allowed")

type noLoader struct{}

func (noLoader) Load(string) (any, error) { return nil, errNoLoader }

// compileToolSchema compiles a server's input schema (JSON Schema 2020-12
// unless it says otherwise). A missing schema is an empty one.
func compileToolSchema(name string, raw json.RawMessage) (*jsonschema.Schema, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return nil, nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("input schema of %q: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(noLoader{})
	loc := "toolgate-mcp:///tools/" + url.PathEscape(name) + ".json"
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("input schema of %q: %w", name, err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("input schema of %q: %w", name, err)
	}
	return sch, nil
}

// validate checks arguments against the server's schema.
func (t toolInfo) validate(args map[string]any) error {
	if t.schemaErr != nil {
		return t.schemaErr
	}
	if t.schema == nil {
		return nil
	}
	var inst any = map[string]any{}
	if args != nil {
		inst = args
	}
	if err := t.schema.Validate(inst); err != nil {
		return fmt.Errorf("arguments do not match the tool's input schema: %w", err)
	}
	return nil
}
