package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/reload"
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

// firstPolicySet loads the policy set the configuration names, through the
// checks a reload makes (signature, the set's own tests): every command
// that decides calls goes through it, so none loads what serve would
// refuse. The source is a --policies directory, else policies.dir,
// policies.bundle or policies.url; with none, the embedded library (and a
// nil reloader). A configuration error is exitUsage, a set that fails to
// fetch, verify or pass its tests exitPolicy.
func firstPolicySet(ctx context.Context, cfg config.Config, dirFlag string, opts ...reload.Option) (engine.PolicySet, *reload.Reloader, error) {
	src, err := policySource(cfg, dirFlag)
	if err != nil {
		return engine.PolicySet{}, nil, exitWith(exitUsage, err)
	}
	if src == nil {
		ps, err := engine.LoadDefault()
		if err != nil {
			return engine.PolicySet{}, nil, exitWith(exitPolicy, fmt.Errorf("policies: %w", err))
		}
		return ps, nil, nil
	}
	r := reload.New(src, append([]reload.Option{reload.WithTests(cfg.Policies.RunTests)}, opts...)...)
	ps, err := r.First(ctx)
	if err != nil {
		return engine.PolicySet{}, nil, exitWith(exitPolicy, fmt.Errorf("policies: %w", err))
	}
	return ps, r, nil
}

// newEngine loads and compiles the policies the configuration names.
func newEngine(ctx context.Context, cfg config.Config, dirFlag string) (*engine.Engine, error) {
	ps, _, err := firstPolicySet(ctx, cfg, dirFlag)
	if err != nil {
		return nil, err
	}
	eng, err := engine.New(ctx, ps,
		engine.WithWorkspace(cfg.Workspace),
		engine.WithSettings(cfg.Settings))
	if err != nil {
		return nil, exitWith(exitPolicy, fmt.Errorf("policies: %w", err))
	}
	return eng, nil
}
