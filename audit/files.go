package audit

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
)

// OrderFiles returns paths in chain order, by the seq of each file's first
// line, so that `verify audit*.jsonl` works whatever order the shell globbed
// rotated files in. A file without a readable first line (an empty active
// file just after a rotation) goes last.
func OrderFiles(paths []string) ([]string, error) {
	type file struct {
		path  string
		first uint64
	}
	files := make([]file, len(paths))
	for i, p := range paths {
		seq, err := firstSeq(p)
		if err != nil {
			return nil, err
		}
		files[i] = file{path: p, first: seq}
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].first < files[j].first })
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.path
	}
	return out, nil
}

// firstSeq is the seq of the first line of path, MaxUint64 when unreadable.
func firstSeq(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	defer func() { _ = f.Close() }()
	line, complete, err := readLine(bufio.NewReader(f))
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, errLineTooLong) {
		return 0, fmt.Errorf("audit: %s: %w", path, err)
	}
	if !complete {
		return math.MaxUint64, nil
	}
	h, err := parseHeader(line)
	if err != nil {
		return math.MaxUint64, nil
	}
	return h.seq, nil
}
