package facts

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"golang.org/x/net/idna"
)

// maxURLBytes bounds the URL text; longer URLs are refused.
const maxURLBytes = 64 << 10

// URLFact is URL_FACT of docs/input-and-decision.md.
type URLFact struct {
	OK     bool
	Error  string
	Scheme string // lower-cased; "" when the text had none ("host:port", "//host")
	// Host is lower-cased, percent-decoded, IDNA-mapped to ASCII, without
	// brackets or trailing dots: the name a client will resolve.
	Host     string
	Port     string // explicit port in canonical decimal, or ""
	UserInfo bool   // the URL carries user[:pass]@
	IsIP     bool   // Host is an IP literal in any form
	IP       string // canonical IP when IsIP (IPv4-mapped IPv6 unmapped)
	IPClass  string // class of IP, "" for a name
}

// specialSchemes are the WHATWG "special" schemes: browsers and many
// clients treat '\' as '/' and skip extra slashes in them, so their
// authority is held to exactly "//host".
var specialSchemes = map[string]bool{"http": true, "https": true, "ws": true, "wss": true, "ftp": true}

// ParseURL builds the URL fact of raw. It undoes what clients undo before
// connecting (surrounding whitespace, embedded tabs and newlines, percent-
// encoded and Unicode host names, trailing dots, every IPv4 literal form) and
// refuses text that clients read in different ways: a backslash before the
// path ("http://evil\@good.com" is evil to a browser, good.com to Python),
// the wrong number of slashes after a special scheme, a host ending in a
// number that is not a valid IPv4 address. Names are left as names:
// "127.0.0.1.nip.io" resolves through DNS, which policies handle by name.
func ParseURL(raw string) URLFact {
	s, err := normalizeURLText(raw)
	if err != nil {
		return failURL(err)
	}
	text, err := authorityText(s)
	if err != nil {
		return failURL(err)
	}
	u, err := url.Parse(text)
	if err != nil {
		return failURL(fmt.Errorf("parse URL: %w", err))
	}
	f := URLFact{Scheme: u.Scheme, UserInfo: u.User != nil}
	if f.Port, err = canonicalPort(u.Port()); err != nil {
		return failURL(err)
	}
	host := u.Hostname()
	if host == "" {
		if f.Scheme == "" || specialSchemes[f.Scheme] {
			return failURL(errors.New("URL has no host"))
		}
		f.OK = true
		return f
	}
	if err := f.setHost(host, strings.HasPrefix(u.Host, "[")); err != nil {
		return failURL(err)
	}
	f.OK = true
	return f
}

func failURL(err error) URLFact { return URLFact{Error: err.Error()} }

// setHost canonicalises host and classifies it when it is an IP literal.
func (f *URLFact) setHost(host string, bracketed bool) error {
	if !isASCII(host) {
		a, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return fmt.Errorf("host is not a valid internationalised name: %w", err)
		}
		host = a
	}
	host = strings.TrimRight(lowerASCII(host), ".")
	if host == "" {
		return errors.New("URL host is only dots")
	}
	if hasColon := strings.IndexByte(host, ':') >= 0; hasColon != bracketed {
		return errors.New("IPv6 host without brackets, or brackets around a non-IPv6 host")
	}
	f.Host = host
	addr, alt, isIP, err := hostIP(host)
	if err != nil {
		return err
	}
	if !isIP {
		return nil
	}
	f.IsIP = true
	f.IP = addr.WithZone("").String()
	f.IPClass = classify(addr)
	if alt.IsValid() {
		if c := classify(alt); classRank(c) > classRank(f.IPClass) {
			f.IPClass = c
		}
	}
	return nil
}

// urlTabNewline drops the tabs and newlines inside URL text.
var urlTabNewline = strings.NewReplacer("\t", "", "\n", "", "\r", "")

// stripURLSpace trims C0 controls and spaces around s and drops the tabs
// and newlines inside it, as the WHATWG parser does first.
func stripURLSpace(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = urlTabNewline.Replace(s)
	}
	return s
}

// normalizeURLText does what the WHATWG parser does before anything else:
// trim C0 controls and spaces around the text and drop tabs and newlines
// inside it ("ht\ntp://" is "http://" to a browser). Other control bytes
// are refused.
func normalizeURLText(raw string) (string, error) {
	if len(raw) > maxURLBytes {
		return "", fmt.Errorf("URL longer than %d bytes", maxURLBytes)
	}
	s := stripURLSpace(raw)
	if s == "" {
		return "", errors.New("empty URL")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			return "", fmt.Errorf("control byte %#x in URL", c)
		}
	}
	return s, nil
}

func canonicalPort(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("invalid port %q", p)
	}
	return strconv.Itoa(n), nil
}

// Term returns the fact as an OPA object.
func (f URLFact) Term() *ast.Term {
	if !f.OK {
		return failTerm(f.Error)
	}
	return ast.ObjectTerm(
		ast.Item(keyOK, termTrue),
		ast.Item(keyScheme, strTerm(f.Scheme)),
		ast.Item(keyHost, strTerm(f.Host)),
		ast.Item(keyPort, strTerm(f.Port)),
		ast.Item(keyUserInfo, boolTerm(f.UserInfo)),
		ast.Item(keyIsIP, boolTerm(f.IsIP)),
		ast.Item(keyIP, strTerm(f.IP)),
		ast.Item(keyIPClass, strTerm(f.IPClass)),
	)
}

var (
	keyScheme   = ast.StringTerm("scheme")
	keyHost     = ast.StringTerm("host")
	keyPort     = ast.StringTerm("port")
	keyUserInfo = ast.StringTerm("userinfo")
	keyIsIP     = ast.StringTerm("is_ip")
	keyIP       = ast.StringTerm("ip")
	keyIPClass  = ast.StringTerm("ip_class")
)
