package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// callDoc is one call document read from a file, a .jsonl line or stdin.
type callDoc struct {
	source string
	data   []byte
}

// maxLineBytes bounds one .jsonl line; the coordinator's own limit on a call
// is lower, so a longer line is reported as invalid rather than read whole.
const maxLineBytes = 64 << 20

// readCalls expands PATH arguments: "-" is stdin (JSON or JSON Lines), a
// directory is every .json/.jsonl file below it in name order.
func readCalls(paths []string, stdin io.Reader) ([]callDoc, error) {
	var docs []callDoc
	for _, p := range paths {
		var got []callDoc
		var err error
		if p == "-" {
			got, err = readStream("stdin", stdin)
		} else {
			got, err = readPath(p)
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, got...)
	}
	return docs, nil
}

func readPath(p string) ([]callDoc, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return readFile(p)
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".jsonl")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var docs []callDoc
	for _, f := range files {
		got, err := readFile(f)
		if err != nil {
			return nil, err
		}
		docs = append(docs, got...)
	}
	return docs, nil
}

func readFile(p string) ([]callDoc, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	if strings.HasSuffix(p, ".jsonl") {
		return readLines(p, f)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return []callDoc{{source: p, data: data}}, nil
}

// readStream reads stdin: a sequence of JSON documents, pretty-printed or one
// per line. A document that does not parse ends the stream and is passed on
// as-is, so the coordinator reports it as invalid input.
func readStream(name string, r io.Reader) ([]callDoc, error) {
	dec := json.NewDecoder(r)
	var docs []callDoc
	for n := 1; ; n++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return docs, nil
		}
		src := fmt.Sprintf("%s:%d", name, n)
		if err != nil {
			rest, _ := io.ReadAll(io.MultiReader(dec.Buffered(), r))
			return append(docs, callDoc{source: src, data: rest}), nil
		}
		docs = append(docs, callDoc{source: src, data: raw})
	}
}

func readLines(name string, r io.Reader) ([]callDoc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	var docs []callDoc
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		docs = append(docs, callDoc{source: fmt.Sprintf("%s:%d", name, n), data: bytes.Clone(line)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return docs, nil
}
