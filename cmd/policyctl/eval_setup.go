package main

import (
	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// evalCoordinator builds the coordinator eval runs calls through: the
// configured policies, in-memory rate limits, and an audit file only when
// --audit is given.
// evalCoordinator builds the coordinator eval decides with, and returns the
// call limits it enforces (documents are parsed with the same ones).
func evalCoordinator(cmd *cobra.Command, policyDir, auditPath string) (*coordinator.Coordinator, engine.Limits, func(), error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return nil, engine.Limits{}, nil, err
	}
	eng, err := newEngine(cmd.Context(), cfg, policyDir)
	if err != nil {
		return nil, engine.Limits{}, nil, err
	}
	opts := []coordinator.Option{coordinator.WithLimits(cfg.Limits)}
	closeFn := func() {}
	if auditPath != "" {
		a, c, err := openAuditFile(auditPath)
		if err != nil {
			return nil, engine.Limits{}, nil, exitWith(exitUsage, err)
		}
		opts = append(opts, coordinator.WithAuditor(a))
		closeFn = c
	}
	coord, err := coordinator.New(eng, opts...)
	if err != nil {
		return nil, engine.Limits{}, nil, exitWith(exitUsage, err)
	}
	return coord, cfg.Limits, closeFn, nil
}
