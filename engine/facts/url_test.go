package facts

import (
	"strings"
	"testing"
)

// urlJSON renders the expected URL fact of an accepted URL.
func urlJSON(scheme, host, port string, userinfo bool, ip, class string) string {
	b := func(v bool) string {
		if v {
			return "true"
		}
		return "false"
	}
	return `{"ok":true,"scheme":"` + scheme + `","host":"` + host + `","port":"` + port +
		`","userinfo":` + b(userinfo) + `,"is_ip":` + b(ip != "") + `,"ip":"` + ip + `","ip_class":"` + class + `"}`
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, raw, want string
	}{
		{"plain", "https://api.example.com/v1?q=1", urlJSON("https", "api.example.com", "", false, "", "")},
		{"uppercase and trailing dot", "HTTP://EXAMPLE.COM./x", urlJSON("http", "example.com", "", false, "", "")},
		{"many trailing dots", "http://localhost../", urlJSON("http", "localhost", "", false, "", "")},
		{"explicit port canonical", "http://example.com:0080/", urlJSON("http", "example.com", "80", false, "", "")},
		{"dotted loopback", "http://127.0.0.1/", urlJSON("http", "127.0.0.1", "", false, "127.0.0.1", "loopback")},
		{"decimal", "http://2130706433/", urlJSON("http", "2130706433", "", false, "127.0.0.1", "loopback")},
		{"hex", "http://0x7f000001/", urlJSON("http", "0x7f000001", "", false, "127.0.0.1", "loopback")},
		{"hex uppercase", "http://0X7F000001/", urlJSON("http", "0x7f000001", "", false, "127.0.0.1", "loopback")},
		{"octal", "http://0177.0.0.1/", urlJSON("http", "0177.0.0.1", "", false, "127.0.0.1", "loopback")},
		{"short two parts", "http://127.1/", urlJSON("http", "127.1", "", false, "127.0.0.1", "loopback")},
		{"short three parts", "http://127.0.1/", urlJSON("http", "127.0.1", "", false, "127.0.0.1", "loopback")},
		{"mixed hex and short", "http://0x7f.1/", urlJSON("http", "0x7f.1", "", false, "127.0.0.1", "loopback")},
		{"zero padded", "http://127.000.000.001/", urlJSON("http", "127.000.000.001", "", false, "127.0.0.1", "loopback")},
		{"octal vs decimal takes worse", "http://010.0.0.1/", urlJSON("http", "010.0.0.1", "", false, "8.0.0.1", "private")},
		{"zero", "http://0/", urlJSON("http", "0", "", false, "0.0.0.0", "unspecified")},
		{"bare 0x", "http://0x/", urlJSON("http", "0x", "", false, "0.0.0.0", "unspecified")},
		{"ipv4 trailing dot", "http://127.0.0.1./", urlJSON("http", "127.0.0.1", "", false, "127.0.0.1", "loopback")},
		{"ipv6 loopback", "http://[::1]:8080/", urlJSON("http", "::1", "8080", false, "::1", "loopback")},
		{"ipv6 long form", "http://[0:0:0:0:0:0:0:1]/", urlJSON("http", "0:0:0:0:0:0:0:1", "", false, "::1", "loopback")},
		{"ipv4-mapped dotted", "http://[::ffff:127.0.0.1]/", urlJSON("http", "::ffff:127.0.0.1", "", false, "127.0.0.1", "loopback")},
		{"ipv4-mapped hex", "http://[::ffff:7f00:1]/", urlJSON("http", "::ffff:7f00:1", "", false, "127.0.0.1", "loopback")},
		{"ipv4-mapped metadata", "http://[::ffff:a9fe:a9fe]/", urlJSON("http", "::ffff:a9fe:a9fe", "", false, "169.254.169.254", "metadata")},
		{"nat64 loopback", "http://[64:ff9b::7f00:1]/", urlJSON("http", "64:ff9b::7f00:1", "", false, "64:ff9b::7f00:1", "loopback")},
		{"nat64 public", "http://[64:ff9b::808:808]/", urlJSON("http", "64:ff9b::808:808", "", false, "64:ff9b::808:808", "public")},
		{"6to4 private", "http://[2002:c0a8:101::1]/", urlJSON("http", "2002:c0a8:101::1", "", false, "2002:c0a8:101::1", "private")},
		{"zone id", "http://[fe80::1%25eth0]:80/", urlJSON("http", "fe80::1%eth0", "80", false, "fe80::1", "link_local")},
		{"ipv6 metadata", "http://[fd00:ec2::254]/", urlJSON("http", "fd00:ec2::254", "", false, "fd00:ec2::254", "metadata")},
		{"ipv4-compatible is reserved", "http://[::7f00:1]/", urlJSON("http", "::7f00:1", "", false, "::7f00:1", "reserved")},
		{"percent-encoded host", "http://%31%32%37.0.0.1/", urlJSON("http", "127.0.0.1", "", false, "127.0.0.1", "loopback")},
		{"percent-encoded name", "http://%6c%6f%63%61%6c%68%6f%73%74/", urlJSON("http", "localhost", "", false, "", "")},
		{"fullwidth name", "http://ｌｏｃａｌｈｏｓｔ/", urlJSON("http", "localhost", "", false, "", "")},
		{"circled digits", "http://①②⑦.0.0.1/", urlJSON("http", "127.0.0.1", "", false, "127.0.0.1", "loopback")},
		{"ideographic dots", "http://127。0。0。1/", urlJSON("http", "127.0.0.1", "", false, "127.0.0.1", "loopback")},
		{"zero-width space dropped", "http://exa\u200bmple.com/", urlJSON("http", "example.com", "", false, "", "")},
		{"unicode name to punycode", "http://bücher.example/", urlJSON("http", "xn--bcher-kva.example", "", false, "", "")},
		{"single label, trailing dot", "http://intranet./", urlJSON("http", "intranet", "", false, "", "")},
		{"single label, encoded", "http://%72edis:6379/", urlJSON("http", "redis", "6379", false, "", "")},
		{"single label, fullwidth", "http://ｒｅｄｉｓ/", urlJSON("http", "redis", "", false, "", "")},
		{"single label, ideographic dot", "http://intranet。/", urlJSON("http", "intranet", "", false, "", "")},
		{"single label, encoded dot", "http://redis%2e/", urlJSON("http", "redis", "", false, "", "")},
		{"cluster service name", "https://kubernetes.default.svc/api", urlJSON("https", "kubernetes.default.svc", "", false, "", "")},
		{"userinfo trick", "http://good.com@evil.example/", urlJSON("http", "evil.example", "", true, "", "")},
		{"userinfo with password", "https://u:p@h.example/", urlJSON("https", "h.example", "", true, "", "")},
		{"empty userinfo", "http://@h.example/", urlJSON("http", "h.example", "", true, "", "")},
		{"encoded at sign stays userinfo", "http://a%40b@h.example/", urlJSON("http", "h.example", "", true, "", "")},
		{"scheme-relative", "//h.example/p", urlJSON("", "h.example", "", false, "", "")},
		{"host and port only", "localhost:8080", urlJSON("", "localhost", "8080", false, "", "")},
		{"ip and port only", "127.0.0.1:80/x", urlJSON("", "127.0.0.1", "80", false, "127.0.0.1", "loopback")},
		{"no scheme", "example.com/path", urlJSON("", "example.com", "", false, "", "")},
		{"surrounding whitespace", "  http://a.example\n", urlJSON("http", "a.example", "", false, "", "")},
		{"newline inside scheme", "ht\ntp://a.example/", urlJSON("http", "a.example", "", false, "", "")},
		{"name that looks like an ip", "http://127.0.0.1.nip.io/", urlJSON("http", "127.0.0.1.nip.io", "", false, "", "")},
		{"gopher", "gopher://127.0.0.1:6379/_x", urlJSON("gopher", "127.0.0.1", "6379", false, "127.0.0.1", "loopback")},
		{"file has no host", "file:///etc/passwd", `{"ok":true,"scheme":"file","host":"","port":"","userinfo":false,"is_ip":false,"ip":"","ip_class":""}`},
		{"backslash userinfo trick", `http://evil\@good.com/`, `{"ok":false,"error":"backslash in URL authority"}`},
		{"backslash slashes", `http:\\evil.com\`, `{"ok":false,"error":"malformed authority: expected exactly // before the host"}`},
		{"mixed slashes", `http:/\evil.com/`, `{"ok":false,"error":"malformed authority: expected exactly // before the host"}`},
		{"scheme-relative backslashes", `\\evil.com/x`, `{"ok":false,"error":"malformed authority: expected exactly // before the host"}`},
		{"no slashes", "http:evil.com", `{"ok":false,"error":"malformed authority: expected exactly // before the host"}`},
		{"three slashes", "http:///evil.com", `{"ok":false,"error":"malformed authority: expected exactly // before the host"}`},
		{"bad ipv4", "http://256.0.0.1/", `{"ok":false,"error":"host ends in a number but is not a valid IPv4 address"}`},
		{"five parts", "http://1.2.3.4.5/", `{"ok":false,"error":"host ends in a number but is not a valid IPv4 address"}`},
		{"decimal overflow", "http://4294967296/", `{"ok":false,"error":"host ends in a number but is not a valid IPv4 address"}`},
		{"bad octal", "http://09.0.0.1/", `{"ok":false,"error":"host ends in a number but is not a valid IPv4 address"}`},
		{"port out of range", "http://a.example:65536/", `{"ok":false,"error":"invalid port \"65536\""}`},
		{"double-encoded host", "http://%2531%2532%2537.0.0.1/", `{"ok":false,"error":"percent-decoded URL host contains '%'"}`},
		{"encoded delimiter in host", "http://a.example%2fb/", `{"ok":false,"error":"percent-decoded URL host contains '/'"}`},
		{"encoded colon in host", "http://127.0.0.1%3a80/", `{"ok":false,"error":"percent-decoded URL host contains ':'"}`},
		{"control byte", "http://a.example/\x01x", `{"ok":false,"error":"control byte 0x1 in URL"}`},
		{"empty", "   ", `{"ok":false,"error":"empty URL"}`},
		{"only dots", "http://.../", `{"ok":false,"error":"URL host is only dots"}`},
		{"missing host", "http:///", `{"ok":false,"error":"malformed authority: expected exactly // before the host"}`},
		{"disallowed idna rune", "http://a＿b.example/", `{"ok":false,"error":"host is not a valid internationalised name: idna: disallowed rune U+FF3F"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assertTerm(t, ParseURL(c.raw).Term(), c.want)
		})
	}
}

func TestParseURLRefusals(t *testing.T) {
	t.Parallel()
	// Refused by net/url or by the host rules; the exact message is net/url's.
	for _, raw := range []string{
		"http://::1/",           // IPv6 without brackets
		"http://[127.0.0.1]/",   // brackets around IPv4
		"http://[::1/",          // unclosed bracket
		"http://a b.example/",   // space in host
		"http://exa%zzmple/",    // invalid escape in host
		"http://[fe80::1%eth0]", // unescaped zone
		strings.Repeat("a", maxURLBytes+1),
	} {
		if f := ParseURL(raw); f.OK || f.Error == "" {
			t.Errorf("ParseURL(%.40q) = %+v, want refusal", raw, f)
		}
	}
}
