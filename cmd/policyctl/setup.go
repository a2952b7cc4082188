package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
)

// loadConfig reads --config (and the environment).
func loadConfig(cmd *cobra.Command) (config.Config, error) {
	path, _ := cmd.Flags().GetString("config")
	cfg, err := config.Load(path)
	if err != nil {
		return cfg, exitWith(exitUsage, err)
	}
	return cfg, nil
}

// loadPolicySet picks the policy source: a --policies directory, the
// configured directory or bundle, or the embedded defaults.
func loadPolicySet(cfg config.Config, dirFlag string) (engine.PolicySet, error) {
	switch {
	case dirFlag != "":
		return engine.LoadDir(dirFlag)
	case cfg.Policies.Dir != "":
		return engine.LoadDir(cfg.Policies.Dir)
	case cfg.Policies.Bundle != "":
		return engine.LoadBundleFile(cfg.Policies.Bundle)
	default:
		return engine.LoadDefault()
	}
}

// newEngine loads and compiles the policies the configuration names.
func newEngine(ctx context.Context, cfg config.Config, dirFlag string) (*engine.Engine, error) {
	ps, err := loadPolicySet(cfg, dirFlag)
	if err != nil {
		return nil, exitWith(exitPolicy, err)
	}
	eng, err := engine.New(ctx, ps,
		engine.WithWorkspace(cfg.Workspace),
		engine.WithSettings(cfg.Settings))
	if err != nil {
		return nil, exitWith(exitPolicy, fmt.Errorf("policies: %w", err))
	}
	return eng, nil
}
