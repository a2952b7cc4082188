package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
)

// Event types, the "type" member of every line.
const (
	TypeDecision   = "decision"
	TypeOutcome    = "outcome"
	TypeCheckpoint = "checkpoint"
)

// GenesisHash is the prev_hash of the first event of a chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// hashHexLen is the length of a hex SHA-256.
const hashHexLen = 2 * sha256.Size

// Every line starts with the chain header in exactly this form, which the
// writer emits and the verifier parses byte by byte (no JSON re-encoding is
// ever involved in verification):
//
//	{"type":"<type>","seq":<decimal>,"prev_hash":"<64 lowercase hex>",<rest of the object>
const (
	hdrType = `{"type":"`
	hdrSeq  = `","seq":`
	hdrPrev = `,"prev_hash":"`
	hdrEnd  = `",`
)

var errHeader = errors.New("line does not start with the chain header")

// lineHash is the chain hash of one line: the lowercase hex SHA-256 of its
// exact bytes, without the trailing newline.
func lineHash(line []byte) string {
	sum := sha256.Sum256(line)
	return hex.EncodeToString(sum[:])
}

// appendHeader writes the chain header to dst. body must be a JSON object
// with at least one member; its opening brace is replaced by the header.
func appendHeader(dst []byte, typ string, seq uint64, prev string, body []byte) []byte {
	dst = append(dst, hdrType...)
	dst = append(dst, typ...)
	dst = append(dst, hdrSeq...)
	dst = strconv.AppendUint(dst, seq, 10)
	dst = append(dst, hdrPrev...)
	dst = append(dst, prev...)
	dst = append(dst, '"', ',')
	return append(dst, body[1:]...)
}

// header is the chain header of one line.
type header struct {
	typ  string
	seq  uint64
	prev string
}

// parseHeader reads the chain header at the start of line.
func parseHeader(line []byte) (header, error) {
	var h header
	rest, ok := bytes.CutPrefix(line, []byte(hdrType))
	if !ok {
		return h, errHeader
	}
	i := bytes.IndexByte(rest, '"')
	if i < 0 {
		return h, errHeader
	}
	h.typ = string(rest[:i])
	if h.typ != TypeDecision && h.typ != TypeOutcome && h.typ != TypeCheckpoint {
		return h, errors.New("unknown event type " + strconv.Quote(h.typ))
	}
	if rest, ok = bytes.CutPrefix(rest[i:], []byte(hdrSeq)); !ok {
		return h, errHeader
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	seq, err := strconv.ParseUint(string(rest[:n]), 10, 64)
	if err != nil || (n > 1 && rest[0] == '0') {
		return h, errors.New("seq is not a canonical decimal")
	}
	h.seq = seq
	if rest, ok = bytes.CutPrefix(rest[n:], []byte(hdrPrev)); !ok || len(rest) < hashHexLen+len(hdrEnd) {
		return h, errHeader
	}
	h.prev = string(rest[:hashHexLen])
	if !isLowerHex(h.prev) || !bytes.HasPrefix(rest[hashHexLen:], []byte(hdrEnd)) {
		return h, errors.New("prev_hash is not 64 lowercase hex digits")
	}
	return h, nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
