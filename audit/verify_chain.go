package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxVerifyLine bounds a line the verifier reads: twice the largest event
// the writer produces, so a hostile file cannot exhaust memory.
const maxVerifyLine = 2 * MaxEventBytes

var errLineTooLong = errors.New("line too long")

type verifier struct {
	opts    VerifyOptions
	rep     *Report
	started bool
	prev    string
	prevPos Position
}

func (v *verifier) source(src Source) error {
	r := bufio.NewReaderSize(src.R, 64<<10)
	for n := 1; ; n++ {
		pos := Position{File: src.Name, Line: n}
		line, complete, err := readLine(r)
		switch {
		case errors.Is(err, io.EOF) && len(line) == 0:
			return nil
		case errors.Is(err, errLineTooLong):
			v.broken(pos, BreakMalformed, 0, fmt.Sprintf("line longer than %d bytes", maxVerifyLine))
			return nil
		case err != nil && !errors.Is(err, io.EOF):
			return fmt.Errorf("audit: read %s: %w", pos, err)
		}
		if !complete {
			v.rep.Torn = append(v.rep.Torn, Torn{Position: pos, Bytes: len(line)})
			return nil
		}
		if !v.line(pos, line) {
			return nil
		}
	}
}

// readLine returns the next line without its newline; complete is false for
// a last line that has none.
func readLine(r *bufio.Reader) (line []byte, complete bool, err error) {
	for {
		frag, err := r.ReadSlice('\n')
		if len(line)+len(frag) > maxVerifyLine+1 {
			return nil, false, errLineTooLong
		}
		line = append(line, frag...)
		switch {
		case err == nil:
			return line[:len(line)-1], true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return line, false, err
		}
	}
}

// line checks one complete line; false stops at a broken link.
func (v *verifier) line(pos Position, line []byte) bool {
	h, err := parseHeader(line)
	if err != nil {
		v.broken(pos, BreakMalformed, 0, err.Error())
		return false
	}
	if !json.Valid(line) {
		v.broken(pos, BreakMalformed, h.seq, "not a JSON object (a torn write followed by more lines, or an edit)")
		return false
	}
	if !v.link(pos, h) {
		return false
	}
	if h.typ == TypeCheckpoint && !v.checkpoint(pos, h, line) {
		return false
	}
	v.prev, v.prevPos = lineHash(line), pos
	v.rep.LastSeq, v.rep.Head = h.seq, v.prev
	v.rep.Events++
	return true
}

// link checks that h follows the previous line.
func (v *verifier) link(pos Position, h header) bool {
	if !v.started {
		v.started = true
		v.rep.FirstSeq = h.seq
		if v.opts.Partial || (h.seq == 1 && h.prev == GenesisHash) {
			return true
		}
		v.broken(pos, BreakGenesis, h.seq, fmt.Sprintf(
			"the chain starts at seq %d, not at seq 1 after the genesis hash: earlier events or files are missing (verify them too, or accept a partial chain)", h.seq))
		return false
	}
	want := v.rep.LastSeq + 1
	switch {
	case h.seq > want:
		v.broken(pos, BreakSeq, h.seq, fmt.Sprintf(
			"seq jumps from %d to %d: %d event(s) deleted before this line", v.rep.LastSeq, h.seq, h.seq-want))
		return false
	case h.seq < want:
		v.broken(pos, BreakSeq, h.seq, fmt.Sprintf(
			"seq %d follows seq %d: events reordered, duplicated or inserted", h.seq, v.rep.LastSeq))
		return false
	case h.prev != v.prev:
		v.broken(pos, BreakHash, h.seq, fmt.Sprintf(
			"prev_hash is not the SHA-256 of the line before (%s): that line was edited, or this one inserted", v.prevPos))
		return false
	}
	return true
}

func (v *verifier) checkpoint(pos Position, h header, line []byte) bool {
	v.rep.Checkpoints++
	if v.opts.PublicKey == nil {
		return true
	}
	var body checkpointBody
	if err := json.Unmarshal(line, &body); err != nil {
		v.broken(pos, BreakMalformed, h.seq, "checkpoint: "+err.Error())
		return false
	}
	if id := KeyID(v.opts.PublicKey); body.Checkpoint.KeyID != id {
		v.broken(pos, BreakSignature, h.seq, fmt.Sprintf("checkpoint signed by key %q, expected %q", body.Checkpoint.KeyID, id))
		return false
	}
	if !verifyCheckpoint(v.opts.PublicKey, h.seq, h.prev, body.Timestamp, body.Checkpoint.Signature) {
		v.broken(pos, BreakSignature, h.seq, "checkpoint signature does not verify: the lines before it were rewritten, or the checkpoint was")
		return false
	}
	v.rep.Signed++
	return true
}

// checkHead compares the end of the chain with the head the writer reported.
func (v *verifier) checkHead() {
	hd := v.opts.Head
	if hd == nil || v.rep.Break != nil {
		return
	}
	pos := v.prevPos
	switch {
	case v.rep.LastSeq < hd.Seq:
		v.broken(pos, BreakTruncated, v.rep.LastSeq, fmt.Sprintf(
			"the log ends at seq %d, the writer reported seq %d: %d event(s) cut off the end", v.rep.LastSeq, hd.Seq, hd.Seq-v.rep.LastSeq))
	case v.rep.LastSeq == hd.Seq && hd.Hash != "" && v.rep.Head != hd.Hash:
		v.broken(pos, BreakHash, v.rep.LastSeq, "the last line does not hash to the head the writer reported: it was edited")
	}
}

func (v *verifier) broken(pos Position, kind string, seq uint64, detail string) {
	v.rep.Break = &Break{Position: pos, Kind: kind, Seq: seq, Detail: detail}
}
