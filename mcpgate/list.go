package mcpgate

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/toolgate/toolgate/engine"
)

// FilterList learns the tools of a tools/list response and removes those the
// principal may not see. A response it cannot read or judge becomes an error
// response: a list that cannot be filtered is not shown.
func (g *Gate) FilterList(ctx context.Context, p engine.Principal, resp *jsonrpc.Response) *jsonrpc.Response {
	if resp.Error != nil {
		return resp
	}
	out, err := g.filterList(ctx, p, resp.Result)
	if err != nil {
		g.log.Error().Err(err).Msg("tools/list could not be filtered; withholding it")
		return errorResponse(resp.ID, jsonrpc.CodeInternalError, "toolgate: the tool list could not be checked")
	}
	return &jsonrpc.Response{ID: resp.ID, Result: out}
}

func (g *Gate) filterList(ctx context.Context, p engine.Principal, raw json.RawMessage) (json.RawMessage, error) {
	result, tools, err := g.learnList(raw)
	if err != nil {
		return nil, err
	}
	if g.lister == nil {
		return raw, nil
	}
	listed := make([]engine.ListedTool, len(tools))
	for i, t := range tools {
		listed[i] = engine.ListedTool{Name: t.tool.Name, Annotations: t.tool.Annotations}
	}
	visible, err := g.lister.VisibleTools(ctx, p, g.server, listed)
	if err != nil {
		return nil, fmt.Errorf("listing policy: %w", err)
	}
	kept := make([]json.RawMessage, 0, len(tools))
	for _, t := range tools {
		if visible[t.tool.Name] {
			kept = append(kept, t.raw)
		}
	}
	if result["tools"], err = json.Marshal(kept); err != nil {
		return nil, err
	}
	return json.Marshal(result)
}

type rawTool struct {
	raw  json.RawMessage
	tool listedTool
}

// learnList parses a ListToolsResult and records every tool in the cache.
// It returns the result's fields and its tools, raw and parsed.
func (g *Gate) learnList(raw json.RawMessage) (map[string]json.RawMessage, []rawTool, error) {
	var result map[string]json.RawMessage
	if err := json.Unmarshal(raw, &result); err != nil {
		return nil, nil, fmt.Errorf("tools/list result: %w", err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(result["tools"], &raws); err != nil {
		return nil, nil, fmt.Errorf("tools/list result tools: %w", err)
	}
	tools := make([]rawTool, len(raws))
	for i, r := range raws {
		tools[i].raw = r
		if err := json.Unmarshal(r, &tools[i].tool); err != nil {
			return nil, nil, fmt.Errorf("tools/list tool %d: %w", i, err)
		}
		if tools[i].tool.Name == "" {
			return nil, nil, fmt.Errorf("tools/list tool %d has no name", i)
		}
	}
	for _, t := range tools {
		g.tools.learn(t.tool)
	}
	return result, tools, nil
}

// Bounds of the tool listing the gate does itself.
const (
	maxListPages = 100
	listTimeout  = 30 * time.Second
)

// lookup returns what the server said about a tool, listing the server's
// tools first when the client called one it never listed.
func (g *Gate) lookup(ctx context.Context, s Session, name string) (toolInfo, error) {
	if t, ok := g.tools.get(name); ok {
		return t, nil
	}
	if err := g.refreshTools(ctx, s); err != nil {
		return toolInfo{}, fmt.Errorf("listing the server's tools: %w", err)
	}
	if t, ok := g.tools.get(name); ok {
		return t, nil
	}
	return toolInfo{}, fmt.Errorf("tool %q is not offered by the server", name)
}

func (g *Gate) refreshTools(ctx context.Context, s Session) error {
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	cursor := ""
	for range maxListPages {
		params := map[string]any{}
		if cursor != "" {
			params["cursor"] = cursor
		}
		req, err := newCall(g.nextID(), methodListTools, params)
		if err != nil {
			return err
		}
		resp, err := s.Forward(ctx, req)
		if err != nil {
			return err
		}
		if resp.Error != nil {
			return fmt.Errorf("server: %w", resp.Error)
		}
		result, _, err := g.learnList(resp.Result)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(result["nextCursor"], &cursor); err != nil || cursor == "" {
			return nil
		}
	}
	return fmt.Errorf("more than %d pages of tools", maxListPages)
}
