package audit

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/toolgate/toolgate/audit/sink"
)

// Config values (the `audit:` section of config.yaml).
const (
	SinkFile   = "file"
	SinkStdout = "stdout"
	SinkNATS   = "nats"
	SinkNone   = "none"

	FsyncModeAlways   = "always"
	FsyncModeInterval = "interval"
	FsyncModeNever    = "never"

	RedactModeErase = "erase"
	RedactModeHMAC  = "hmac"

	// HMACKeyEnv supplies hmac_key when the config leaves it empty, so the
	// key need not sit in a file.
	HMACKeyEnv = "TOOLGATE_AUDIT_HMAC_KEY"

	bytesPerMB = 1 << 20
)

// Config is the audit section of the configuration. The zero value is
// invalid only in that the file sink needs a path.
type Config struct {
	// Sink is file (default), stdout, nats or none (audit off).
	Sink string `yaml:"sink" mapstructure:"sink"`
	// Path of the active log file (file sink).
	Path string `yaml:"path" mapstructure:"path"`
	// MaxSizeMB rotates the file at this size; 0 never rotates.
	MaxSizeMB int `yaml:"max_size_mb" mapstructure:"max_size_mb"`
	// Fsync is interval (default), always or never.
	Fsync string `yaml:"fsync" mapstructure:"fsync"`
	// FsyncIntervalMS is the interval of fsync: interval (default 100).
	FsyncIntervalMS int `yaml:"fsync_interval_ms" mapstructure:"fsync_interval_ms"`
	// Redact is erase (default) or hmac.
	Redact string `yaml:"redact" mapstructure:"redact"`
	// HMACKey keys redact: hmac, at least 32 bytes; empty reads the
	// TOOLGATE_AUDIT_HMAC_KEY environment variable.
	HMACKey string `yaml:"hmac_key" mapstructure:"hmac_key"`
	// Labels go into every event.
	Labels     map[string]string `yaml:"labels" mapstructure:"labels"`
	Checkpoint CheckpointConfig  `yaml:"checkpoint" mapstructure:"checkpoint"`
	NATS       NATSConfig        `yaml:"nats" mapstructure:"nats"`
}

// CheckpointConfig turns on signed checkpoints.
type CheckpointConfig struct {
	// Every writes a checkpoint before every N-th event; 0 writes none.
	Every int `yaml:"every" mapstructure:"every"`
	// KeyFile is an Ed25519 private key, PEM PKCS #8.
	KeyFile string `yaml:"key_file" mapstructure:"key_file"`
}

// NATSConfig configures the nats sink.
type NATSConfig struct {
	URL            string `yaml:"url" mapstructure:"url"`
	Stream         string `yaml:"stream" mapstructure:"stream"`
	Subject        string `yaml:"subject" mapstructure:"subject"`
	SpoolDir       string `yaml:"spool_dir" mapstructure:"spool_dir"`
	AckTimeoutMS   int    `yaml:"ack_timeout_ms" mapstructure:"ack_timeout_ms"`
	DrainTimeoutMS int    `yaml:"drain_timeout_ms" mapstructure:"drain_timeout_ms"`
}

// Validate checks cfg without opening anything: every bad setting Open
// would refuse, reported at configuration load. It reads the checkpoint key
// file, since a key that cannot be loaded is a bad setting.
func (cfg Config) Validate() error {
	_, err := cfg.validate()
	return err
}

// validate checks cfg and returns the Logger options it describes, so that
// Open builds them (and reads the key file) once.
func (cfg Config) validate() ([]Option, error) {
	opts, err := cfg.options()
	if err != nil {
		return nil, err
	}
	switch cfg.Sink {
	case "", SinkFile:
		if cfg.Path == "" {
			return nil, errors.New("audit: path is required for the file sink")
		}
		if cfg.MaxSizeMB < 0 {
			return nil, fmt.Errorf("audit: max_size_mb %d is negative", cfg.MaxSizeMB)
		}
	case SinkNATS:
		if err := cfg.natsOptions().Validate(); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
	case SinkStdout, SinkNone:
	default:
		return nil, fmt.Errorf("audit: unknown sink %q (file, stdout, nats, none)", cfg.Sink)
	}
	return opts, nil
}

// Open validates cfg and builds the Logger it describes. Every bad setting
// fails here, before the first call. Sink none returns Nop(). extra options
// apply after the configured ones (a detector, a clock).
func Open(cfg Config, extra ...Option) (*Logger, error) {
	opts, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	var s Sink
	switch cfg.Sink {
	case SinkNone:
		return Nop(), nil
	case SinkStdout:
		s = sink.Stdout()
	case SinkNATS:
		s, err = sink.OpenNATS(cfg.natsOptions())
	default:
		s, err = sink.OpenFile(cfg.Path, sink.FileOptions{MaxBytes: int64(cfg.MaxSizeMB) * bytesPerMB})
	}
	if err != nil {
		return nil, err
	}
	l, err := New(s, append(opts, extra...)...)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	return l, nil
}

func (cfg Config) natsOptions() sink.NATSOptions {
	n := cfg.NATS
	return sink.NATSOptions{
		URL: n.URL, Stream: n.Stream, Subject: n.Subject, SpoolDir: n.SpoolDir,
		AckTimeout:   time.Duration(n.AckTimeoutMS) * time.Millisecond,
		DrainTimeout: time.Duration(n.DrainTimeoutMS) * time.Millisecond,
	}
}

// options turns the non-sink settings into Logger options.
func (cfg Config) options() ([]Option, error) {
	var opts []Option
	switch cfg.Fsync {
	case "", FsyncModeInterval:
		d := DefaultFsyncInterval
		if cfg.FsyncIntervalMS != 0 {
			d = time.Duration(cfg.FsyncIntervalMS) * time.Millisecond
		}
		opts = append(opts, WithFsyncInterval(d))
	case FsyncModeAlways:
		opts = append(opts, WithFsync(FsyncAlways))
	case FsyncModeNever:
		opts = append(opts, WithFsync(FsyncNever))
	default:
		return nil, fmt.Errorf("audit: unknown fsync %q (always, interval, never)", cfg.Fsync)
	}
	switch cfg.Redact {
	case "", RedactModeErase:
	case RedactModeHMAC:
		key := cfg.HMACKey
		if key == "" {
			key = os.Getenv(HMACKeyEnv)
		}
		opts = append(opts, WithRedaction(RedactHMAC), WithHMACKey([]byte(key)))
	default:
		return nil, fmt.Errorf("audit: unknown redact mode %q (erase, hmac)", cfg.Redact)
	}
	cp, err := cfg.Checkpoint.option()
	if err != nil {
		return nil, err
	}
	if cp != nil {
		opts = append(opts, cp)
	}
	if len(cfg.Labels) > 0 {
		opts = append(opts, WithLabels(cfg.Labels))
	}
	// Apply once to report errors now, with the config's words.
	o := defaultOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	return opts, nil
}

func (c CheckpointConfig) option() (Option, error) {
	switch {
	case c.Every < 0:
		return nil, fmt.Errorf("audit: checkpoint.every %d is negative", c.Every)
	case c.Every == 0 && c.KeyFile != "":
		return nil, errors.New("audit: checkpoint.key_file set but checkpoint.every is 0")
	case c.Every == 0:
		return nil, nil
	case c.KeyFile == "":
		return nil, errors.New("audit: checkpoint.every needs checkpoint.key_file")
	}
	key, err := LoadPrivateKey(c.KeyFile)
	if err != nil {
		return nil, err
	}
	return WithCheckpoints(c.Every, key), nil
}

// The sinks of package sink, as the Logger uses them.
var (
	_ Sink    = (*sink.File)(nil)
	_ Resumer = (*sink.File)(nil)
	_ Sink    = (*sink.Writer)(nil)
	_ Sink    = (*sink.NATS)(nil)
	_ Resumer = (*sink.NATS)(nil)
)
