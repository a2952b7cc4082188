package facts

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Limits of ParsePath.
const (
	// maxPathBytes is PATH_MAX: the kernel refuses longer paths anyway.
	maxPathBytes = 4096
	// maxRawPathBytes leaves room for percent-encoding (3 bytes per byte).
	maxRawPathBytes = 3 * maxPathBytes
	// maxDecodeRounds undoes double and triple encoding; text that still
	// decodes after that is refused.
	maxDecodeRounds = 3
)

// PathFact is PATH_FACT of docs/input-and-decision.md.
type PathFact struct {
	OK    bool
	Error string
	// Raw is the argument as given; Decoded is after percent-decoding (up to
	// maxDecodeRounds) and '\' → '/'.
	Raw, Decoded string
	// Clean is absolute and lexically clean; Real is Clean with symlinks of
	// its existing prefix resolved; Base is Clean's last element, lower-cased.
	Clean, Real, Base string
	// InsideWorkspace holds when every reading of the text (see ParsePath)
	// stays in the workspace, both lexically and after symlinks.
	InsideWorkspace bool
	DotDot          bool // a segment is made of dots only (≥2), maybe with trailing dots/spaces
	Encoded         bool // percent-encoding was present
	NUL             bool // a NUL byte, raw or encoded
	Home            bool // the path starts with ~ or ~user: the home directory
	Lookalike       bool // a Unicode look-alike of '.', '/' or '\' was present
}

// ParsePath builds the path fact of raw for a tool confined to workspace.
//
// Different tools read the same text differently: some percent-decode once,
// some twice, some treat '\' as a separator, some NFKC-normalise Unicode
// ("．．／" becomes "../"). inside_workspace is true only when every one of
// these readings stays inside the workspace, lexically and after resolving
// symlinks. The reported fields follow the doc: decoded is the fully decoded
// reading with '\' → '/', clean and real derive from it.
//
// A file URI ("file:///etc/passwd", in any case, maybe percent-encoded) is
// read as its path, which tools that accept URIs open; a Windows drive or UNC
// path is never inside. See fileURIPath and foreignRoot.
//
// Text that is not valid UTF-8 after decoding (e.g. the overlong "%c0%ae"
// that old decoders turn into '.') is refused: ok=false.
func ParsePath(workspace, raw string) PathFact {
	f := PathFact{Raw: raw}
	ws, err := newWorkspace(workspace)
	if err != nil {
		return f.fail(err)
	}
	stages, uris, text, err := pathReadings(raw)
	if err != nil {
		return f.fail(err)
	}
	f.Encoded = len(stages) > 1
	f.NUL = strings.IndexByte(stages[len(stages)-1], 0) >= 0
	f.Decoded = strings.ReplaceAll(text, `\`, "/")
	folded, changed := foldLookalikes(f.Decoded)
	f.Lookalike = changed
	f.DotDot = hasDotDotSegment(f.Decoded) || (changed && hasDotDotSegment(folded))
	f.Home = isHomePath(f.Decoded)

	f.Clean = ws.cleanPath(f.Decoded)
	if len(f.Clean) > maxPathBytes {
		return f.fail(fmt.Errorf("path longer than %d bytes", maxPathBytes))
	}
	if f.Real, err = ws.realPath(f.Decoded, f.Clean); err != nil {
		return f.fail(err)
	}
	f.Base = lowerASCII(path.Base(f.Clean))
	if f.Home || f.NUL || foreignRoot(f.Decoded) {
		// A NUL truncates the path in C; a home path depends on who expands
		// it; a drive or UNC path is elsewhere on Windows. None can be
		// placed in the workspace, so none counts as inside.
		return f.ok(false)
	}
	inside := ws.contains(f.Clean, f.Real)
	if inside {
		inside, err = ws.allReadingsInside(append(stages, uris...), f.Clean)
		if err != nil {
			return f.fail(err)
		}
	}
	return f.ok(inside)
}

// pathReadings percent-decodes raw (decodeStages), refuses text that is not
// UTF-8 once decoded, and reads each stage that is a file URI as its path
// (uris). text is the fully decoded reading: the last stage, or its path
// when it is a file URI (it is one when any stage is: decoding keeps the
// "file:" prefix).
func pathReadings(raw string) (stages, uris []string, text string, err error) {
	if stages, err = decodeStages(raw); err != nil {
		return nil, nil, "", err
	}
	text = stages[len(stages)-1]
	if !utf8.ValidString(text) {
		return nil, nil, "", errors.New("path is not valid UTF-8 after percent-decoding (overlong or truncated encoding)")
	}
	if uris, err = fileURIReadings(stages); err != nil {
		return nil, nil, "", err
	}
	if len(uris) > 0 {
		text = uris[len(uris)-1]
	}
	return stages, uris, text, nil
}

func (f PathFact) fail(err error) PathFact {
	return PathFact{Raw: f.Raw, Error: err.Error()}
}

func (f PathFact) ok(inside bool) PathFact {
	f.OK = true
	f.InsideWorkspace = inside
	return f
}

// Term returns the fact as an OPA object.
func (f PathFact) Term() *ast.Term {
	if !f.OK {
		return failTerm(f.Error)
	}
	return ast.ObjectTerm(
		ast.Item(keyOK, termTrue),
		ast.Item(keyRaw, strTerm(f.Raw)),
		ast.Item(keyDecoded, strTerm(f.Decoded)),
		ast.Item(keyClean, strTerm(f.Clean)),
		ast.Item(keyReal, strTerm(f.Real)),
		ast.Item(keyInside, boolTerm(f.InsideWorkspace)),
		ast.Item(keyDotDot, boolTerm(f.DotDot)),
		ast.Item(keyEncoded, boolTerm(f.Encoded)),
		ast.Item(keyNUL, boolTerm(f.NUL)),
		ast.Item(keyBase, strTerm(f.Base)),
		ast.Item(keyHome, boolTerm(f.Home)),
		ast.Item(keyLookalike, boolTerm(f.Lookalike)),
	)
}

var (
	keyRaw       = ast.StringTerm("raw")
	keyDecoded   = ast.StringTerm("decoded")
	keyClean     = ast.StringTerm("clean")
	keyReal      = ast.StringTerm("real")
	keyInside    = ast.StringTerm("inside_workspace")
	keyDotDot    = ast.StringTerm("dotdot")
	keyEncoded   = ast.StringTerm("encoded")
	keyNUL       = ast.StringTerm("nul")
	keyBase      = ast.StringTerm("base")
	keyHome      = ast.StringTerm("home")
	keyLookalike = ast.StringTerm("lookalike")
)

// hasDotDotSegment reports a '/'-separated segment of two or more dots,
// optionally followed by dots and spaces: Windows strips trailing dots and
// spaces, so ".. ." and "..." reach the parent there.
func hasDotDotSegment(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if isDotDot(seg) {
			return true
		}
	}
	return false
}

func isDotDot(seg string) bool {
	if len(seg) < 2 || seg[0] != '.' || seg[1] != '.' {
		return false
	}
	for i := 2; i < len(seg); i++ {
		if seg[i] != '.' && seg[i] != ' ' {
			return false
		}
	}
	return true
}

// isHomePath reports a leading ~ or ~user segment, which shells and many
// libraries (Python's expanduser) expand to a home directory.
func isHomePath(p string) bool {
	return strings.HasPrefix(p, "~")
}
