package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/metrics"
)

// auditFailureWindow is how long a failed audit write keeps /readyz
// failing: long enough for a load balancer to notice, short enough that a
// replica whose sink recovered is not kept out forever for lack of traffic.
const auditFailureWindow = 30 * time.Second

// trackedAuditor remembers the last write failure for /readyz.
type trackedAuditor struct {
	coordinator.Auditor
	mu       sync.Mutex
	failedAt time.Time
	lastErr  error
}

var _ coordinator.Auditor = (*trackedAuditor)(nil)

func serveAuditor(svc *service, cfg config.Config, m *metrics.Metrics) (*trackedAuditor, error) {
	l, err := audit.Open(cfg.Audit)
	if err != nil {
		return nil, exitWith(exitUsage, err)
	}
	svc.closers = append(svc.closers, func() {
		if err := l.Close(); err != nil {
			svc.log.Error().Err(err).Msg("closing the audit log")
		}
	})
	return &trackedAuditor{Auditor: l}, nil
}

func (t *trackedAuditor) Decision(ctx context.Context, ev audit.DecisionEvent) error {
	return t.track(t.Auditor.Decision(ctx, ev))
}

func (t *trackedAuditor) Outcome(ctx context.Context, ev audit.OutcomeEvent) error {
	return t.track(t.Auditor.Outcome(ctx, ev))
}

func (t *trackedAuditor) track(err error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.failedAt, t.lastErr = time.Now(), err
	} else {
		t.lastErr = nil
	}
	return err
}

// ready fails while the most recent write failed, within the window.
func (t *trackedAuditor) ready(context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.lastErr != nil && time.Since(t.failedAt) < auditFailureWindow {
		return "", errors.New("last audit write failed: " + t.lastErr.Error())
	}
	return "", nil
}
