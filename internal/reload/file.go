package reload

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"
)

// File is a bundle tarball on disk, polled for changes.
type File struct {
	path     string
	interval time.Duration
	vc       *bundle.VerificationConfig
	lastHash string
}

// NewFile returns a source for the bundle at path; vc nil accepts unsigned
// bundles.
func NewFile(path string, interval time.Duration, vc *bundle.VerificationConfig) *File {
	return &File{path: path, interval: interval, vc: vc}
}

func (f *File) String() string { return "bundle:" + f.path }

// Fetch reads the bundle when its content changed.
func (f *File) Fetch(context.Context) (*Candidate, error) {
	data, err := readLimited(f.path)
	if err != nil {
		return nil, stageErr(StageFetch, err)
	}
	hash := contentHash(data)
	if hash == f.lastHash {
		return nil, nil
	}
	f.lastHash = hash
	return candidateFromBundle(data, f.vc, f.String())
}

// Watch polls: bundles are replaced whole, usually by a deploy tool.
func (f *File) Watch(ctx context.Context, notify func()) error {
	return poll(ctx, f.interval, notify)
}

func readLimited(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = fh.Close() }()
	data, err := io.ReadAll(io.LimitReader(fh, MaxSetBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSetBytes {
		return nil, fmt.Errorf("%s: %w (%d bytes)", path, errTooBig, MaxSetBytes)
	}
	return data, nil
}
