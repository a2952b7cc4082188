package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/toolgate/toolgate/audit/internal/redact"
)

// RedactMode says how redacted values are replaced in events.
type RedactMode uint8

// Redaction modes.
const (
	// RedactErase removes redacted values: an object member named by a redact
	// path is deleted, a secret inside a string becomes "[REDACTED:kind]".
	RedactErase RedactMode = iota + 1
	// RedactHMAC replaces them by a keyed HMAC-SHA256 ("hmac-sha256:<hex>",
	// "[HMAC:kind:<hex>]"): equal secrets mask alike and can be correlated
	// across events by whoever holds the key, without being revealed.
	RedactHMAC
)

// FsyncMode says when the sink is flushed to stable storage.
type FsyncMode uint8

// Fsync modes.
const (
	// FsyncInterval syncs in the background every interval; a machine crash
	// loses at most that window, a process crash loses nothing.
	FsyncInterval FsyncMode = iota + 1
	// FsyncAlways syncs before Decision or Outcome returns (group commit:
	// concurrent writers share one fsync).
	FsyncAlways
	// FsyncNever leaves flushing to the operating system.
	FsyncNever
)

// Defaults applied before options.
const (
	DefaultFsyncInterval = 100 * time.Millisecond
	// MinFsyncInterval stops a misconfiguration from turning the background
	// syncer into a busy loop.
	MinFsyncInterval = time.Millisecond
)

// Match is a secret a Detector found: its family and byte span [Start, End).
type Match = redact.Match

// Detector finds secrets in a string; it must be safe for concurrent use.
type Detector = redact.Detector

// Option configures a Logger. Options return an error so that bad settings
// fail when the Logger is built, not on the first call.
type Option func(*options) error

type options struct {
	redact          RedactMode
	hmacKey         []byte
	fsync           FsyncMode
	interval        time.Duration
	checkpointEvery int
	checkpointKey   ed25519.PrivateKey
	now             func() time.Time
	random          io.Reader
	detect          Detector
	labels          map[string]string
}

func defaultOptions() options {
	return options{
		redact:   RedactErase,
		fsync:    FsyncInterval,
		interval: DefaultFsyncInterval,
		now:      time.Now,
		random:   rand.Reader,
		detect:   defaultDetector,
	}
}

// WithRedaction sets the redaction mode (default RedactErase). RedactHMAC
// also needs WithHMACKey.
func WithRedaction(m RedactMode) Option {
	return func(o *options) error {
		if m != RedactErase && m != RedactHMAC {
			return fmt.Errorf("audit: unknown redaction mode %d", m)
		}
		o.redact = m
		return nil
	}
}

// WithHMACKey sets the key of RedactHMAC, at least 32 bytes. The key never
// appears in an event.
func WithHMACKey(key []byte) Option {
	return func(o *options) error {
		if len(key) < redact.MinKeyBytes {
			return fmt.Errorf("audit: HMAC key has %d bytes, need at least %d", len(key), redact.MinKeyBytes)
		}
		o.hmacKey = append([]byte(nil), key...)
		return nil
	}
}

// WithFsync sets the fsync mode; for FsyncInterval use WithFsyncInterval.
func WithFsync(m FsyncMode) Option {
	return func(o *options) error {
		if m != FsyncAlways && m != FsyncNever && m != FsyncInterval {
			return fmt.Errorf("audit: unknown fsync mode %d", m)
		}
		o.fsync = m
		return nil
	}
}

// WithFsyncInterval syncs every d in the background (FsyncInterval).
func WithFsyncInterval(d time.Duration) Option {
	return func(o *options) error {
		if d < MinFsyncInterval {
			return fmt.Errorf("audit: fsync interval %v below %v", d, MinFsyncInterval)
		}
		o.fsync, o.interval = FsyncInterval, d
		return nil
	}
}

// WithCheckpoints writes a checkpoint event signed with key before every
// every-th event, and one more on Close.
func WithCheckpoints(every int, key ed25519.PrivateKey) Option {
	return func(o *options) error {
		if every <= 0 {
			return fmt.Errorf("audit: checkpoint interval %d must be positive", every)
		}
		if len(key) != ed25519.PrivateKeySize {
			return errors.New("audit: checkpoint key is not an Ed25519 private key")
		}
		o.checkpointEvery, o.checkpointKey = every, key
		return nil
	}
}

// WithClock sets the clock used for timestamps an event does not carry.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("audit: nil clock")
		}
		o.now = now
		return nil
	}
}

// WithRandom sets the source of event ids (crypto/rand by default); tests use
// it for reproducible golden files.
func WithRandom(r io.Reader) Option {
	return func(o *options) error {
		if r == nil {
			return errors.New("audit: nil random source")
		}
		o.random = r
		return nil
	}
}

// WithDetector sets the secret detector of the redaction pass; nil disables
// the detector pass (redact paths still apply).
func WithDetector(d Detector) Option {
	return func(o *options) error {
		o.detect = d
		return nil
	}
}

// WithLabels sets the labels every event carries (OPA's "labels": an
// instance id, a version, a region).
func WithLabels(labels map[string]string) Option {
	return func(o *options) error {
		o.labels = make(map[string]string, len(labels))
		for k, v := range labels {
			o.labels[k] = v
		}
		return nil
	}
}
