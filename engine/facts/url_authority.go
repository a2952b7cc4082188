package facts

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// forbiddenHostBytes may not appear in a host once it is percent-decoded.
const forbiddenHostBytes = "%:/?#@[]\\<>^|"

// authorityText prepares s for net/url: text without a scheme gets one
// ("example.com/x" and "localhost:8080" become "//example.com/x",
// "//localhost:8080", as curl reads them), the authority of special schemes
// must be exactly "//host", a backslash before the path is refused, and a
// percent-encoded host is decoded (net/url refuses "%31%32%37.0.0.1", which
// browsers decode to 127.0.0.1).
func authorityText(s string) (string, error) {
	scheme, rest, hasScheme := splitScheme(s)
	if hasScheme && !strings.HasPrefix(rest, "//") && looksLikePort(rest) {
		hasScheme = false // "localhost:8080" is a host and port, not a scheme
	}
	prefix := ""
	if hasScheme {
		prefix = scheme + ":"
	} else {
		rest = s
		if !strings.HasPrefix(rest, "//") {
			rest = "//" + rest
		}
	}
	if !hasScheme || specialSchemes[lowerASCII(scheme)] {
		if strings.HasPrefix(rest, `\`) || !strings.HasPrefix(rest, "//") ||
			(len(rest) > 2 && (rest[2] == '/' || rest[2] == '\\')) {
			return "", errors.New("malformed authority: expected exactly // before the host")
		}
	}
	if !strings.HasPrefix(rest, "//") {
		return prefix + rest, nil // opaque or path-only: mailto:, file:/x
	}
	body := rest[2:]
	end := strings.IndexAny(body, "/?#")
	if end < 0 {
		end = len(body)
	}
	authority, tail := body[:end], body[end:]
	if strings.IndexByte(authority, '\\') >= 0 {
		return "", errors.New("backslash in URL authority")
	}
	at := strings.LastIndexByte(authority, '@')
	userinfo, hostport := authority[:at+1], authority[at+1:]
	if strings.IndexByte(hostport, '%') >= 0 && !strings.HasPrefix(hostport, "[") {
		host, port := hostport, ""
		if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
			host, port = hostport[:i], hostport[i:]
		}
		decoded, err := decodeHost(host)
		if err != nil {
			return "", err
		}
		return prefix + "//" + userinfo + decoded + port + tail, nil
	}
	return prefix + rest, nil
}

// splitScheme splits off an RFC 3986 scheme: ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") ":".
func splitScheme(s string) (scheme, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return s[:i], s[i+1:], true
		default:
			return "", s, false
		}
	}
	return "", s, false
}

// looksLikePort reports digits followed by the end or by one of "/?#".
func looksLikePort(s string) bool {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n > 0 && (n == len(s) || strings.IndexByte("/?#", s[n]) >= 0)
}

// decodeHost percent-decodes a host once, strictly: a '%' that starts no
// valid escape, or one that survives decoding (double encoding), is refused.
func decodeHost(s string) (string, error) {
	out, err := url.PathUnescape(s) // strict %XX, '+' stays '+'
	if err != nil {
		return "", errors.New("invalid percent-escape in URL host")
	}
	// A decoded delimiter would move the userinfo, port or path boundary
	// after the fact; WHATWG refuses these code points in a host too.
	for i := 0; i < len(out); i++ {
		if c := out[i]; c <= ' ' || c == 0x7f || strings.IndexByte(forbiddenHostBytes, c) >= 0 {
			return "", fmt.Errorf("percent-decoded URL host contains %q", c)
		}
	}
	return out, nil
}
