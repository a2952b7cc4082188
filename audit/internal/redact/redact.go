// Package redact removes secrets from audit events before any byte of them
// reaches a sink. It works on generic JSON trees (map[string]any, []any,
// string, json.Number, bool, nil) that the caller deep-copied with Copy, so
// the caller's call is never mutated.
//
// Two passes run over a tree: the decision's redact paths (whole values), then
// a detector pass over every remaining string value and object key. Each
// redacted value is either erased (replaced by a marker that reveals nothing)
// or masked with a keyed HMAC-SHA256, so that equal secrets produce equal
// masks and can be correlated across events without being revealed (the
// approach of Vault's audit hashstructure).
package redact

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"slices"
	"sort"
	"sync"
)

// Mode says how a redacted value is replaced.
type Mode uint8

// Redaction modes.
const (
	// Erase removes a redacted value (object member deleted, array element
	// nulled) and replaces a secret inside a string by "[REDACTED:kind]".
	Erase Mode = iota + 1
	// HMAC replaces a redacted value by "hmac-sha256:<hex>" and a secret
	// inside a string by "[HMAC:kind:<hex>]", the HMAC keyed by a site key.
	HMAC
)

// MinKeyBytes is the shortest HMAC key accepted: 256 bits, the size of the
// SHA-256 block output, so the mask is as strong as the hash.
const MinKeyBytes = 32

// Marker text. Changing any of these changes the bytes of future events only;
// verification hashes the written bytes and never re-serializes.
const (
	hmacValuePrefix = "hmac-sha256:"
	eraseSpanFormat = "[REDACTED:%s]"
	hmacSpanPrefix  = "[HMAC:"
)

// Errors returned by New.
var (
	ErrMode     = errors.New("redact: unknown mode")
	ErrShortKey = errors.New("redact: HMAC key shorter than 32 bytes")
)

// Match is one secret a Detector found in a string: its family and the byte
// span [Start, End) of the secret.
type Match struct {
	Kind       string
	Start, End int
}

// Detector finds secrets in a string. It must be safe for concurrent use.
type Detector func(s string) []Match

// Report lists the JSON pointers (RFC 6901) of the values that were erased or
// masked, in the shape of OPA's decision-log "erased" and "masked" fields.
type Report struct {
	Erased []string
	Masked []string
}

// Sort orders both lists, so the event bytes do not depend on map
// iteration, and drops repeats (a secret key holding a secret value).
func (r *Report) Sort() {
	sort.Strings(r.Erased)
	sort.Strings(r.Masked)
	r.Erased = slices.Compact(r.Erased)
	r.Masked = slices.Compact(r.Masked)
}

func (r *Report) add(m Mode, ptr string) {
	if m == HMAC {
		r.Masked = append(r.Masked, ptr)
		return
	}
	r.Erased = append(r.Erased, ptr)
}

// Redactor applies one site's redaction mode. It is safe for concurrent use.
type Redactor struct {
	mode   Mode
	detect Detector
	macs   sync.Pool
}

// New returns a Redactor. key is required in HMAC mode and ignored in Erase
// mode; detect may be nil (then only redact paths apply).
func New(mode Mode, key []byte, detect Detector) (*Redactor, error) {
	r := &Redactor{mode: mode, detect: detect}
	switch mode {
	case Erase:
	case HMAC:
		if len(key) < MinKeyBytes {
			return nil, ErrShortKey
		}
		k := append([]byte(nil), key...)
		r.macs.New = func() any { return hmac.New(sha256.New, k) }
	default:
		return nil, ErrMode
	}
	return r, nil
}

// mac returns the hex HMAC-SHA256 of b under the site key.
func (r *Redactor) mac(b []byte) string {
	h := r.macs.Get().(hash.Hash)
	h.Reset()
	h.Write(b)
	var sum [sha256.Size]byte
	out := hex.EncodeToString(h.Sum(sum[:0]))
	r.macs.Put(h)
	return out
}

// Sealed is a value the redactor already replaced. The detector pass skips it
// so a mask is never masked again; it marshals as a plain JSON string.
type Sealed string
