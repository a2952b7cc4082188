package config

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// parseSettings extracts the settings: mapping of a YAML document with its
// keys exactly as written, as JSON-compatible values.
func parseSettings(raw []byte) (map[string]any, error) {
	var doc struct {
		Settings map[string]any `yaml:"settings"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("config settings: %w", err)
	}
	if len(doc.Settings) == 0 {
		return nil, nil
	}
	// A JSON round trip turns YAML's types (int, map[string]any from
	// map[any]any) into the JSON values the policy store expects.
	b, err := json.Marshal(doc.Settings)
	if err != nil {
		return nil, fmt.Errorf("config settings: %w", err)
	}
	var out map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // integers stay integers in the policy store
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("config settings: %w", err)
	}
	return out, nil
}
