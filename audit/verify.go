package audit

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
)

// Source is one log file, given to Verify in chain order (oldest first).
type Source struct {
	Name string
	R    io.Reader
}

// VerifyOptions says what Verify may assume.
type VerifyOptions struct {
	// PublicKey checks checkpoint signatures; without it checkpoints are
	// counted but not checked.
	PublicKey ed25519.PublicKey
	// Partial accepts a chain that starts after seq 1 (older rotated files
	// were removed): its first line is trusted as the anchor.
	Partial bool
	// Head, when set, is the last event the writer reported (Logger.Head):
	// a log that ends earlier was truncated, one whose last line hashes
	// differently had that line edited.
	Head *Head
}

// Head names the last event of a chain.
type Head struct {
	Seq  uint64
	Hash string // optional
}

// Kinds of broken link.
const (
	BreakMalformed = "malformed" // not a chain line, or not JSON
	BreakGenesis   = "genesis"   // first line is not seq 1 after the genesis hash
	BreakSeq       = "seq"       // seq is not the previous seq + 1
	BreakHash      = "prev_hash" // prev_hash is not the hash of the previous line
	BreakSignature = "signature" // a checkpoint signature does not verify
	BreakTruncated = "truncated" // the log ends before the expected head
)

// Position is a line of a source, counted from 1.
type Position struct {
	File string
	Line int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Break is the first broken link of a chain.
type Break struct {
	Position
	Kind   string
	Seq    uint64 // seq of the offending line, when it could be read
	Detail string
}

func (b *Break) Error() string {
	return fmt.Sprintf("%s: chain broken (%s): %s", b.Position, b.Kind, b.Detail)
}

// ErrChainBroken matches any *Break with errors.Is.
var ErrChainBroken = errors.New("audit: chain broken")

// Is reports whether target is ErrChainBroken.
func (b *Break) Is(target error) bool { return target == ErrChainBroken }

// ErrTornTail is returned by Report.Err when the only problem is a last line
// without its newline: a write cut short by a crash. Every line before it
// verified.
var ErrTornTail = errors.New("audit: torn last line (a write cut short by a crash)")

// Torn is a partial last line.
type Torn struct {
	Position
	Bytes int
}

// Report is what Verify found.
type Report struct {
	Files       int
	Events      int // lines verified, checkpoints included
	Checkpoints int
	Signed      int // checkpoint signatures verified
	FirstSeq    uint64
	LastSeq     uint64
	Head        string // hash of the last verified line
	Torn        []Torn
	Break       *Break
}

// Err is nil for an intact chain, the *Break when a link is broken, and
// ErrTornTail when the chain is intact up to a torn last line.
func (r *Report) Err() error {
	if r.Break != nil {
		return r.Break
	}
	if len(r.Torn) > 0 {
		return ErrTornTail
	}
	return nil
}

// checkpointBody is the part of a checkpoint line its signature covers.
type checkpointBody struct {
	Timestamp  string         `json:"timestamp"`
	Checkpoint checkpointInfo `json:"checkpoint"`
}

// Verify checks the chain running through srcs in order and reports the first
// broken link with its file and line. An I/O error is returned as error; a
// broken chain is not an error of Verify but is in the Report.
func Verify(opts VerifyOptions, srcs ...Source) (*Report, error) {
	v := &verifier{opts: opts, rep: &Report{}}
	for _, src := range srcs {
		v.rep.Files++
		if err := v.source(src); err != nil {
			return v.rep, err
		}
		if v.rep.Break != nil {
			return v.rep, nil
		}
	}
	v.checkHead()
	return v.rep, nil
}
