// Package reload replaces the running policy set live, from a directory
// (fsnotify) or an OPA bundle (a local file or an HTTP URL polled with
// ETag). A new set must pass, in order, the signature check (bundles, when
// keys are configured), its own _test.rego tests and compilation before it
// replaces the running one; a set that fails any step never does, and the
// last good set keeps serving while Status says why.
package reload

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/toolgate/toolgate/engine"
)

// Stages of a reload, as reported in StageError, Status and metrics.
const (
	StageFetch     = "fetch"
	StageSignature = "signature"
	StageTests     = "tests"
	StageCompile   = "compile"
)

// DefaultDebounce coalesces a burst of file events into one reload.
const DefaultDebounce = 250 * time.Millisecond

// StageError says which step refused a policy set.
type StageError struct {
	Stage string
	Err   error
}

func (e *StageError) Error() string { return e.Stage + ": " + e.Err.Error() }
func (e *StageError) Unwrap() error { return e.Err }

func stageErr(stage string, err error) error { return &StageError{Stage: stage, Err: err} }

// StageOf returns the stage of err, or StageFetch for an unstaged error.
func StageOf(err error) string {
	var se *StageError
	if errors.As(err, &se) {
		return se.Stage
	}
	return StageFetch
}

// Loader is what a reload swaps the set of; *engine.Engine implements it.
type Loader interface {
	Load(ctx context.Context, ps engine.PolicySet) error
}

// Status is the reloader's report for /readyz and logs.
type Status struct {
	Source      string    `json:"source"`
	Revision    string    `json:"revision"`
	LastSuccess time.Time `json:"last_success"`
	LastAttempt time.Time `json:"last_attempt"`
	// LastError is why the most recent attempt was refused; empty when it
	// succeeded.
	LastError string `json:"last_error,omitempty"`
	LastStage string `json:"last_stage,omitempty"`
}

// Hooks are told about every attempt that found a new set.
type Hooks struct {
	Loaded func(revision string)
	Failed func(stage string, err error)
}

// Reloader checks and loads policy sets from one Source.
type Reloader struct {
	src      Source
	runTests bool
	debounce time.Duration
	hooks    Hooks
	log      zerolog.Logger
	now      func() time.Time

	loadMu sync.Mutex // one attempt at a time
	mu     sync.Mutex
	status Status
}

// Option configures a Reloader.
type Option func(*Reloader)

// WithTests makes every set pass its own tests (default on).
func WithTests(on bool) Option { return func(r *Reloader) { r.runTests = on } }

// WithHooks sets the callbacks (metrics).
func WithHooks(h Hooks) Option { return func(r *Reloader) { r.hooks = h } }

// WithLogger sets the logger.
func WithLogger(l zerolog.Logger) Option { return func(r *Reloader) { r.log = l } }

// WithDebounce sets how long file events are coalesced.
func WithDebounce(d time.Duration) Option { return func(r *Reloader) { r.debounce = d } }

// New returns a reloader for src.
func New(src Source, opts ...Option) *Reloader {
	r := &Reloader{src: src, runTests: true, debounce: DefaultDebounce, log: zerolog.Nop(), now: time.Now}
	for _, o := range opts {
		o(r)
	}
	r.status.Source = src.String()
	return r
}

// Status returns the current report.
func (r *Reloader) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// First fetches and checks the initial set (signature and tests); the
// caller compiles it with engine.New. There is no last good set yet, so
// any failure is returned.
func (r *Reloader) First(ctx context.Context) (engine.PolicySet, error) {
	c, err := r.src.Fetch(ctx)
	if err == nil && c == nil {
		err = stageErr(StageFetch, errors.New("the source has no policy set"))
	}
	if err != nil {
		return engine.PolicySet{}, err
	}
	defer c.Close()
	if err := r.test(ctx, c); err != nil {
		return engine.PolicySet{}, err
	}
	r.mu.Lock()
	r.status.Revision, r.status.LastSuccess, r.status.LastAttempt = c.Set.Revision, r.now(), r.now()
	r.mu.Unlock()
	return c.Set, nil
}

// Reload makes one attempt: fetch, and when the source changed, check the
// new set and load it into l. It returns nil when nothing changed.
func (r *Reloader) Reload(ctx context.Context, l Loader) error {
	r.loadMu.Lock()
	defer r.loadMu.Unlock()
	c, err := r.src.Fetch(ctx)
	if err == nil && c == nil {
		return nil
	}
	if err == nil {
		defer c.Close()
		err = r.test(ctx, c)
	}
	if err == nil {
		if lerr := l.Load(ctx, c.Set); lerr != nil {
			err = stageErr(StageCompile, lerr)
		}
	}
	r.record(c, err)
	return err
}

func (r *Reloader) test(ctx context.Context, c *Candidate) error {
	if !r.runTests {
		return nil
	}
	if err := runTests(ctx, c); err != nil {
		return stageErr(StageTests, err)
	}
	return nil
}

func (r *Reloader) record(c *Candidate, err error) {
	// Logs and hooks (metrics) come before the status: whoever sees the new
	// status on /readyz also finds the attempt counted on /metrics.
	if err == nil {
		r.log.Info().Str("revision", c.Set.Revision).Str("source", r.src.String()).Msg("policy set reloaded")
		if r.hooks.Loaded != nil {
			r.hooks.Loaded(c.Set.Revision)
		}
	} else {
		r.log.Error().Err(err).Str("stage", StageOf(err)).Str("source", r.src.String()).
			Msg("new policy set refused; the last good set keeps serving")
		if r.hooks.Failed != nil {
			r.hooks.Failed(StageOf(err), err)
		}
	}
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status.LastAttempt = now
	if err == nil {
		r.status.Revision, r.status.LastSuccess = c.Set.Revision, now
		r.status.LastError, r.status.LastStage = "", ""
		return
	}
	r.status.LastError, r.status.LastStage = err.Error(), StageOf(err)
}

// Run watches the source until ctx ends, reloading into l after each burst
// of changes.
func (r *Reloader) Run(ctx context.Context, l Loader) error {
	kick := make(chan struct{}, 1)
	notify := func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	werr := make(chan error, 1)
	go func() { werr <- r.src.Watch(ctx, notify) }()
	for {
		select {
		case <-ctx.Done():
			return r.watchEnded(ctx, <-werr)
		case err := <-werr:
			return r.watchEnded(ctx, err)
		case <-kick:
		}
		if !sleep(ctx, r.debounce) {
			continue
		}
		drain(kick)
		_ = r.Reload(ctx, l) // recorded in Status, logs and hooks
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func drain(c chan struct{}) {
	select {
	case <-c:
	default:
	}
}

// watchEnded reports how a watcher ended. Once ctx is done it is shutdown,
// not an error, whichever of ctx and the watcher select saw first; a watcher
// that failed as it stopped is only worth a log line. A watcher that ends
// on its own has failed.
func (r *Reloader) watchEnded(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		if err != nil {
			r.log.Warn().Err(err).Str("source", r.src.String()).Msg("policy watch stopped with an error")
		}
		return nil
	}
	if err == nil {
		err = errors.New("the watcher stopped")
	}
	return fmt.Errorf("watch %s: %w", r.src, err)
}
