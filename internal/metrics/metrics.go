// Package metrics holds toolgate's Prometheus metrics on their own registry
// (nothing global), with label values bounded so a caller cannot grow the
// series count by inventing tool names.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "toolgate"

// maxLabelValues bounds the distinct values of a caller-influenced label
// (tool, violation code); later values are counted under OtherLabel.
const maxLabelValues = 256

// OtherLabel is the label value of everything past maxLabelValues.
const OtherLabel = "_other"

// UnknownLabel is the tool label of calls to a tool the catalog does not know.
const UnknownLabel = "_unknown"

// Metrics is every metric toolgate exports.
type Metrics struct {
	reg          *prometheus.Registry
	decisions    *prometheus.CounterVec
	violations   *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	rateLimited  *prometheus.CounterVec
	auditErrors  prometheus.Counter
	revision     *prometheus.GaugeVec
	reloads      *prometheus.CounterVec
	redisErrors  prometheus.Counter
	redisOutage  *prometheus.CounterVec
	authFailures *prometheus.CounterVec
	requests     *prometheus.CounterVec
	inflight     prometheus.Gauge
	tools, codes *boundedSet
}

// New registers every metric, and the Go and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), tools: newBoundedSet(), codes: newBoundedSet()}
	m.decisions = m.counterVec("decisions_total", "Checks by tool and outcome (allow or the refusal code).", "tool", "outcome")
	m.violations = m.counterVec("violations_total", "Policy violations by tool and code.", "tool", "code")
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "check_duration_seconds",
		Help:    "Time to decide one call (bounding, policy, rate limits, audit).",
		Buckets: prometheus.ExponentialBuckets(100e-6, 2, 15),
	}, []string{"endpoint"})
	m.rateLimited = m.counterVec("rate_limit_rejections_total", "Calls refused by rate limiting: exhausted, or store_unavailable.", "reason")
	m.auditErrors = m.counter("audit_errors_total", "Audit writes that failed (the call was refused).")
	m.revision = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "policy_revision_info", Help: "1 for the policy revision in use.",
	}, []string{"revision"})
	m.reloads = m.counterVec("policy_reloads_total", "Policy reload attempts by result (ok, failed) and stage that failed.", "result", "stage")
	m.redisErrors = m.counter("redis_errors_total", "Failed Redis operations.")
	m.redisOutage = m.counterVec("redis_outage_calls_total", "Calls made while Redis was unreachable, by what happened: local_fallback or refused.", "action")
	m.authFailures = m.counterVec("auth_failures_total", "Requests refused by authentication, by reason.", "reason")
	m.requests = m.counterVec("http_requests_total", "HTTP requests by route and status.", "route", "status")
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "http_in_flight_requests", Help: "Requests being served."})
	m.reg.MustRegister(m.latency, m.revision, m.inflight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

func (m *Metrics) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help})
	m.reg.MustRegister(c)
	return c
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Check records one decided call: its outcome ("allow" or a refusal code)
// and the violation codes of its decision.
func (m *Metrics) Check(endpoint, tool, outcome string, codes []string, d time.Duration) {
	t := m.tools.label(tool)
	m.decisions.WithLabelValues(t, outcome).Inc()
	for _, c := range codes {
		m.violations.WithLabelValues(t, m.codes.label(c)).Inc()
	}
	m.latency.WithLabelValues(endpoint).Observe(d.Seconds())
}

// RateLimited counts a rate-limit refusal; reason is exhausted or
// store_unavailable.
func (m *Metrics) RateLimited(reason string) { m.rateLimited.WithLabelValues(reason).Inc() }

// AuditError counts a failed audit write.
func (m *Metrics) AuditError() { m.auditErrors.Inc() }

// Revision makes rev the one policy revision reported as in use.
func (m *Metrics) Revision(rev string) {
	m.revision.Reset()
	m.revision.WithLabelValues(rev).Set(1)
}

// Reload counts a reload attempt; stage is empty on success, else the step
// that refused the new set (fetch, signature, tests, compile).
func (m *Metrics) Reload(stage string) {
	if stage == "" {
		m.reloads.WithLabelValues("ok", "").Inc()
		return
	}
	m.reloads.WithLabelValues("failed", stage).Inc()
}

// RedisError counts a failed Redis operation.
func (m *Metrics) RedisError() { m.redisErrors.Inc() }

// RedisOutage counts a call made during an outage: local_fallback or refused.
func (m *Metrics) RedisOutage(action string) { m.redisOutage.WithLabelValues(action).Inc() }

// AuthFailure counts a request refused by authentication.
func (m *Metrics) AuthFailure(reason string) { m.authFailures.WithLabelValues(reason).Inc() }

// Request counts one HTTP request; route is the registered pattern.
func (m *Metrics) Request(route string, status int) {
	m.requests.WithLabelValues(route, statusLabel(status)).Inc()
}

// InFlight moves the in-flight gauge by delta.
func (m *Metrics) InFlight(delta float64) { m.inflight.Add(delta) }
