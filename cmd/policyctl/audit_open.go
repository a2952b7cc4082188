package main

import (
	"github.com/toolgate/toolgate/audit"
)

// openAuditFile opens a chained audit log at path for eval --audit.
func openAuditFile(path string) (*audit.Logger, func(), error) {
	l, err := audit.Open(audit.Config{Sink: "file", Path: path})
	if err != nil {
		return nil, nil, err
	}
	return l, func() { _ = l.Close() }, nil
}
