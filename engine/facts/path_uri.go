package facts

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// fileURIPath reads s as a file URI when, once surrounding spaces and
// control bytes and embedded tabs and newlines are dropped (as URL parsers
// do), it starts with the scheme "file:" in any case. The URI's path is
// returned with '\' read as '/' (WHATWG does so in file URLs):
// "file:///etc/passwd", "file://localhost/etc/passwd" and "file:/etc/passwd"
// are /etc/passwd. isURI is false, and p is s, for any other text.
//
// A host other than "" or "localhost" (a remote share, or "%6cocalhost"
// before decoding), a query or fragment (cut by some readers, kept by
// others) and an empty path are errors: such text is refused, not guessed.
func fileURIPath(s string) (p string, isURI bool, err error) {
	t := stripURLSpace(s)
	const scheme = "file:"
	if len(t) < len(scheme) || !strings.EqualFold(t[:len(scheme)], scheme) {
		return s, false, nil
	}
	rest := strings.ReplaceAll(t[len(scheme):], `\`, "/")
	if strings.ContainsAny(rest, "?#") {
		return "", true, errors.New("file URI with a query or fragment")
	}
	if body, ok := strings.CutPrefix(rest, "//"); ok {
		host := body
		rest = ""
		if i := strings.IndexByte(body, '/'); i >= 0 {
			host, rest = body[:i], body[i:]
		}
		if host != "" && !strings.EqualFold(host, "localhost") {
			return "", true, fmt.Errorf("file URI names the host %q: only an empty host or localhost is local", host)
		}
	}
	if rest == "" {
		return "", true, errors.New("file URI without a path")
	}
	return rest, true, nil
}

// fileURIReadings returns the path of every decoding stage that is a file
// URI (see fileURIPath); an error in any stage refuses the whole text.
func fileURIReadings(stages []string) ([]string, error) {
	var out []string
	for _, s := range stages {
		p, isURI, err := fileURIPath(s)
		if err != nil {
			return nil, err
		}
		if isURI {
			out = append(out, p)
		}
	}
	return out, nil
}

// foreignRoot reports a path that Windows reads outside any POSIX
// workspace, p having '\' as '/': a UNC or device path ("//host/share",
// "//?/C:/x"; POSIX leaves a leading "//" to the implementation too) or a
// drive path ("C:/x", or "C:x", relative to drive C's current directory).
// Full-width letters and colons count: Windows' best-fit conversion and
// NFKC turn them into ASCII.
func foreignRoot(p string) bool {
	if strings.HasPrefix(p, "//") {
		return true
	}
	drive, n := utf8.DecodeRuneInString(p)
	colon, _ := utf8.DecodeRuneInString(p[n:])
	return isDriveLetter(drive) && (colon == ':' || colon == '\uFF1A')
}

func isDriveLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
		r >= '\uFF21' && r <= '\uFF3A' || r >= '\uFF41' && r <= '\uFF5A'
}
