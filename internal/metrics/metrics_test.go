package metrics_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/internal/metrics"
)

func TestChecksAreCountedWithBoundedLabels(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Check("check", "fs.read_file", "denied", []string{"path_traversal"}, time.Millisecond)
	for i := 0; i < 300; i++ {
		m.Check("check", fmt.Sprintf("made.up.%d", i), "invalid_input", nil, time.Millisecond)
	}
	text := scrape(t, m)
	assert.Equal(t, 257, strings.Count(text, "\ntoolgate_decisions_total{"), "256 distinct tools, then one _other series")
	assert.Contains(t, text, `toolgate_violations_total{code="path_traversal",tool="fs.read_file"} 1`)
	assert.Contains(t, text, `toolgate_decisions_total{outcome="invalid_input",tool="_other"} 45`)
	assert.Contains(t, text, "toolgate_check_duration_seconds_bucket")
	assert.Contains(t, text, "go_goroutines")
}

func TestRevisionIsSingleSeries(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Revision("a")
	m.Revision("b")
	m.Reload("")
	m.Reload("tests")
	text := scrape(t, m)
	assert.Contains(t, text, `toolgate_policy_revision_info{revision="b"} 1`)
	assert.False(t, strings.Contains(text, `revision="a"`))
	assert.Contains(t, text, `toolgate_policy_reloads_total{result="failed",stage="tests"} 1`)
	assert.Contains(t, text, `toolgate_policy_reloads_total{result="ok",stage=""} 1`)
}

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	require.Equal(t, 200, rec.Code)
	return rec.Body.String()
}
