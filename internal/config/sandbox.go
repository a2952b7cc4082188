package config

import (
	"errors"
)

// Sandbox holds the site maximums every process tool is clamped to, whatever
// a policy decides: the last line of defence if a policy (or an override of
// its settings) asks for too much. They mirror settings.sandbox_max of the
// default policies.
type Sandbox struct {
	MaxTimeoutMS   int64 `mapstructure:"max_timeout_ms"`
	MaxCPUMS       int64 `mapstructure:"max_cpu_ms"`
	MaxMemoryMB    int64 `mapstructure:"max_memory_mb"`
	MaxOutputBytes int64 `mapstructure:"max_output_bytes"`
	MaxFileBytes   int64 `mapstructure:"max_file_bytes"`
	MaxOpenFiles   int64 `mapstructure:"max_open_files"`
	MaxProcs       int64 `mapstructure:"max_procs"`
	// AllowNetwork lets a decision's network "any" through; false runs every
	// process tool without network whatever the decision says.
	AllowNetwork bool `mapstructure:"allow_network"`
}

func defaultSandbox() Sandbox {
	return Sandbox{
		MaxTimeoutMS: 120000, MaxCPUMS: 60000, MaxMemoryMB: 2048,
		MaxOutputBytes: 10 << 20, MaxFileBytes: 100 << 20, MaxOpenFiles: 1024, MaxProcs: 128,
		AllowNetwork: true,
	}
}

func (s Sandbox) validate() error {
	for _, v := range []int64{s.MaxTimeoutMS, s.MaxCPUMS, s.MaxMemoryMB, s.MaxOutputBytes, s.MaxFileBytes, s.MaxOpenFiles, s.MaxProcs} {
		if v <= 0 {
			return errors.New("sandbox: every max_* must be positive (a maximum of 0 would mean no maximum)")
		}
	}
	return nil
}
