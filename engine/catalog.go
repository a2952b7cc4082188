package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/toolgate/toolgate/engine/facts"
)

// catalogEntry is the part of a data.toolgate.tools entry the engine uses
// before evaluation: which arguments get facts, and the argument schema.
type catalogEntry struct {
	marks  map[string]facts.Kind
	schema *jsonschema.Schema
	info   ToolInfo
}

type catalog map[string]catalogEntry

var knownKinds = map[facts.Kind]bool{
	facts.KindPath: true, facts.KindURL: true, facts.KindShell: true,
	facts.KindSQL: true, facts.KindEmail: true,
}

// loadCatalog reads data.toolgate.tools and compiles every schema once.
func loadCatalog(data map[string]any) (catalog, error) {
	tg, _ := data["toolgate"].(map[string]any)
	tools, ok := tg["tools"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: data.toolgate.tools (the tool catalog) is missing", ErrPolicy)
	}
	cat := make(catalog, len(tools))
	for name, raw := range tools {
		entry, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: catalog entry %q is not an object", ErrPolicy, name)
		}
		ce, err := loadEntry(name, entry)
		if err != nil {
			return nil, err
		}
		cat[name] = ce
	}
	return cat, nil
}

func loadEntry(name string, entry map[string]any) (catalogEntry, error) {
	ce := catalogEntry{info: toolInfo(name, entry)}
	if m, ok := entry["facts"].(map[string]any); ok {
		ce.marks = make(map[string]facts.Kind, len(m))
		for arg, k := range m {
			kind, _ := k.(string)
			if !knownKinds[facts.Kind(kind)] {
				return ce, fmt.Errorf("%w: catalog %q: argument %q has unknown fact kind %v", ErrPolicy, name, arg, k)
			}
			ce.marks[arg] = facts.Kind(kind)
		}
	}
	if s, ok := entry["schema"]; ok {
		sch, err := compileSchema(name, s)
		if err != nil {
			return ce, err
		}
		ce.schema = sch
	}
	return ce, nil
}

func compileSchema(name string, doc any) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "toolgate:///tools/" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("%w: catalog %q schema: %v", ErrPolicy, name, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%w: catalog %q schema: %v", ErrPolicy, name, err)
	}
	return sch, nil
}

// validateArgs checks arguments against the tool's schema, if it has one.
func (ce catalogEntry) validateArgs(args map[string]any) error {
	if ce.schema == nil {
		return nil
	}
	var inst any = map[string]any{}
	if args != nil {
		inst = args
	}
	err := ce.schema.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		return &InputError{Field: "tool.arguments", Reason: schemaReason(ve)}
	}
	return &InputError{Field: "tool.arguments", Reason: err.Error()}
}

// schemaReason flattens the validator's error tree to its leaves, which name
// the failing argument and the broken constraint.
func schemaReason(ve *jsonschema.ValidationError) string {
	out := ve.DetailedOutput()
	var msgs []string
	var walk func(u jsonschema.OutputUnit)
	walk = func(u jsonschema.OutputUnit) {
		if u.Error != nil && len(u.Errors) == 0 {
			b, _ := json.Marshal(u.Error)
			loc := u.InstanceLocation
			if loc == "" {
				loc = "/"
			}
			msgs = append(msgs, loc+": "+strings.Trim(string(b), `"`))
		}
		for _, e := range u.Errors {
			walk(e)
		}
	}
	walk(*out)
	if len(msgs) == 0 {
		return "arguments do not match the tool's schema"
	}
	return "arguments do not match the tool's schema: " + strings.Join(msgs, "; ")
}
