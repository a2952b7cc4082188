package reload

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/regotest"
)

// maxReportBytes bounds the test output quoted in an error.
const maxReportBytes = 2048

// Candidate is a fetched policy set with an on-disk copy of its files
// (tests included) for the Rego test runner.
type Candidate struct {
	Set engine.PolicySet
	dir string
	// origin names where the files came from, in place of dir in messages.
	origin string
}

// Close removes the on-disk copy.
func (c *Candidate) Close() {
	if c != nil && c.dir != "" {
		_ = os.RemoveAll(c.dir)
	}
}

// runTests runs the set's own tests. A set without a passing test is
// refused: "passes its tests" must not hold vacuously.
func runTests(ctx context.Context, c *Candidate) error {
	var out bytes.Buffer
	rep, err := regotest.Run(ctx, []string{c.dir}, regotest.Options{NoCoverage: true}, &out)
	if err != nil {
		return err
	}
	if rep.OK() {
		return nil
	}
	text := strings.ReplaceAll(out.String(), c.dir, c.origin)
	if len(text) > maxReportBytes {
		text = text[:maxReportBytes] + "…"
	}
	return fmt.Errorf("%d passed, %d failed, %d errors:\n%s", rep.Passed, rep.Failed, rep.Errored, text)
}
