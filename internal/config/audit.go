package config

import (
	"github.com/spf13/viper"

	"github.com/toolgate/toolgate/audit"
)

// setAuditDefaults registers every audit key, so each one can be set from
// the environment even when no file mentions it (viper only maps
// environment variables onto keys it knows).
func setAuditDefaults(v *viper.Viper, a audit.Config) {
	v.SetDefault("audit.sink", a.Sink)
	v.SetDefault("audit.path", a.Path)
	v.SetDefault("audit.max_size_mb", a.MaxSizeMB)
	v.SetDefault("audit.fsync", a.Fsync)
	v.SetDefault("audit.fsync_interval_ms", a.FsyncIntervalMS)
	v.SetDefault("audit.redact", a.Redact)
	v.SetDefault("audit.hmac_key", a.HMACKey)
	v.SetDefault("audit.labels", a.Labels)
	v.SetDefault("audit.checkpoint.every", a.Checkpoint.Every)
	v.SetDefault("audit.checkpoint.key_file", a.Checkpoint.KeyFile)
	v.SetDefault("audit.nats.url", a.NATS.URL)
	v.SetDefault("audit.nats.stream", a.NATS.Stream)
	v.SetDefault("audit.nats.subject", a.NATS.Subject)
	v.SetDefault("audit.nats.spool_dir", a.NATS.SpoolDir)
	v.SetDefault("audit.nats.ack_timeout_ms", a.NATS.AckTimeoutMS)
	v.SetDefault("audit.nats.drain_timeout_ms", a.NATS.DrainTimeoutMS)
}
