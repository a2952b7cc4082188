package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/metrics"
	"github.com/toolgate/toolgate/internal/reload"
)

// servePolicies loads the first policy set through the same checks as a
// reload (signature, tests) and compiles it into the engine.
func servePolicies(ctx context.Context, svc *service, cfg config.Config, dirFlag string, m *metrics.Metrics) error {
	ps, r, err := firstPolicySet(ctx, cfg, dirFlag,
		reload.WithLogger(svc.log),
		reload.WithHooks(reload.Hooks{
			Loaded: func(rev string) { m.Revision(rev); m.Reload("") },
			Failed: func(stage string, _ error) { m.Reload(stage) },
		}))
	if err != nil {
		return err
	}
	svc.reloader = r
	svc.engine, err = engine.New(ctx, ps, engine.WithWorkspace(cfg.Workspace), engine.WithSettings(cfg.Settings))
	if err != nil {
		return exitWith(exitPolicy, fmt.Errorf("policies: %w", err))
	}
	m.Revision(svc.engine.Revision())
	return nil
}

// policySource picks the reloadable source, or nil for the embedded
// library. Signing keys need a bundle source: a directory has no signature
// to check, and silently skipping the check would be a fail-open.
func policySource(cfg config.Config, dirFlag string) (reload.Source, error) {
	p := cfg.Policies
	vc, err := reload.Verification(p.Signing)
	if err != nil {
		return nil, err
	}
	dir := dirFlag
	if dir == "" {
		dir = p.Dir
	}
	switch {
	case dir != "" && vc != nil:
		return nil, errors.New("policies.signing verifies bundles: use policies.bundle or policies.url, not a directory")
	case dir != "":
		return reload.NewDir(dir, p.PollInterval), nil
	case p.Bundle != "":
		return reload.NewFile(p.Bundle, p.PollInterval, vc), nil
	case p.URL != "":
		return reload.NewHTTP(p.URL, p.PollInterval, vc), nil
	case vc != nil:
		return nil, errors.New("policies.signing is set but neither policies.bundle nor policies.url is")
	}
	return nil, nil
}
