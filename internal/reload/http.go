package reload

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"
)

// DefaultFetchTimeout bounds one bundle download.
const DefaultFetchTimeout = 30 * time.Second

// HTTP is a bundle served over HTTP(S), polled with If-None-Match.
type HTTP struct {
	url      string
	interval time.Duration
	vc       *bundle.VerificationConfig
	client   *http.Client
	etag     string
	lastHash string
}

// NewHTTP returns a source for the bundle at url; vc nil accepts unsigned
// bundles.
func NewHTTP(url string, interval time.Duration, vc *bundle.VerificationConfig) *HTTP {
	return &HTTP{url: url, interval: interval, vc: vc, client: &http.Client{Timeout: DefaultFetchTimeout}}
}

func (h *HTTP) String() string { return "url:" + h.url }

// Fetch downloads the bundle unless the server answers 304 Not Modified.
func (h *HTTP) Fetch(ctx context.Context) (*Candidate, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url, nil)
	if err != nil {
		return nil, stageErr(StageFetch, err)
	}
	if h.etag != "" {
		req.Header.Set("If-None-Match", h.etag)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, stageErr(StageFetch, err)
	}
	defer func() { _ = resp.Body.Close() }()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return nil, nil
	case http.StatusOK:
	default:
		return nil, stageErr(StageFetch, fmt.Errorf("GET %s: %s", h.url, resp.Status))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxSetBytes+1))
	if err == nil && len(data) > MaxSetBytes {
		err = fmt.Errorf("%w (%d bytes)", errTooBig, MaxSetBytes)
	}
	if err != nil {
		return nil, stageErr(StageFetch, fmt.Errorf("GET %s: %w", h.url, err))
	}
	h.etag = resp.Header.Get("ETag")
	hash := contentHash(data)
	if hash == h.lastHash {
		return nil, nil
	}
	h.lastHash = hash
	return candidateFromBundle(data, h.vc, h.String())
}

// Watch polls every interval.
func (h *HTTP) Watch(ctx context.Context, notify func()) error {
	return poll(ctx, h.interval, notify)
}
