package facts

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// Secret kinds of input.facts.secrets.
const (
	SecretAWSAccessKey = "aws_access_key"
	SecretAWSSecretKey = "aws_secret_key"
	SecretGitHubToken  = "github_token"
	SecretGitLabToken  = "gitlab_token"
	SecretOpenAIKey    = "openai_key"
	SecretAnthropicKey = "anthropic_key"
	SecretSlackToken   = "slack_token"
	SecretSlackWebhook = "slack_webhook"
	SecretGoogleAPIKey = "google_api_key"
	SecretStripeKey    = "stripe_key"
	SecretURLPassword  = "url_password"
	SecretJWT          = "jwt"
	SecretPrivateKey   = "private_key"
	SecretPassword     = "password_assignment"
	// SecretUnscanned marks text the scanner skipped because a per-call
	// bound was reached; it may hold anything, so treat it as a secret.
	SecretUnscanned = "unscanned"
)

// SecretMatch is one credential in a string: its kind and the byte range
// [Start, End) to redact. Matches are sorted by Start and may overlap (a JWT
// assigned to token= is both a jwt and a password_assignment).
type SecretMatch struct {
	Kind       string
	Start, End int
}

// maxMatchesPerPattern bounds the matches of one pattern in one string.
// Reaching it reports the rest of the string as one more match of that
// kind: the redactor then removes all of it rather than miss a credential.
const maxMatchesPerPattern = 256

// appendCapped appends m, or the rest of s from m.Start when the cap of
// matches of this kind is reached; full reports that the caller must stop.
func appendCapped(out []SecretMatch, m SecretMatch, n, sLen int) (_ []SecretMatch, full bool) {
	if n == maxMatchesPerPattern-1 {
		m.End = sLen
		return append(out, m), true
	}
	return append(out, m), false
}

// tokenPattern is a credential with a fixed prefix and a body of one
// character class: found with strings.Index on the prefix and a byte loop,
// linear and fast even on hostile text (a regex with {32,} repetitions
// slows down by that factor on a megabyte of "sk-sk-sk-…").
type tokenPattern struct {
	kind     string
	prefixes []string
	body     func(byte) bool
	min, max int // body length; with max > 0 the body must end at a word boundary
	// kindOf refines kind from the matched text, when set.
	kindOf func(match string) string
}

var tokenPatterns = []tokenPattern{
	{kind: SecretAWSAccessKey, prefixes: []string{"AKIA", "ASIA", "ABIA", "ACCA"}, body: isUpperAlnum, min: 16, max: 16},
	{kind: SecretAWSAccessKey, prefixes: []string{"A3T"}, body: isUpperAlnum, min: 17, max: 17},
	{kind: SecretGitHubToken, prefixes: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, body: isAlnum, min: 36, max: 255},
	{kind: SecretGitHubToken, prefixes: []string{"github_pat_"}, body: isWordByte, min: 22, max: 255},
	{kind: SecretGitLabToken, prefixes: []string{"glpat-"}, body: isTokenByte, min: 20},
	{kind: SecretOpenAIKey, prefixes: []string{"sk-"}, body: isTokenByte, min: 32, kindOf: openAIOrAnthropic},
	{kind: SecretSlackToken, prefixes: []string{"xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"},
		body: func(c byte) bool { return isAlnum(c) || c == '-' }, min: 10},
	{kind: SecretSlackWebhook, prefixes: []string{"hooks.slack.com/services/"},
		body: func(c byte) bool { return isAlnum(c) || c == '/' }, min: 20},
	{kind: SecretGoogleAPIKey, prefixes: []string{"AIza"}, body: isTokenByte, min: 35, max: 35},
	{kind: SecretStripeKey, prefixes: []string{"sk_live_", "rk_live_", "sk_test_", "rk_test_"}, body: isAlnum, min: 16, max: 255},
}

func (p *tokenPattern) find(s string, out []SecretMatch) []SecretMatch {
	found := 0
	for _, pre := range p.prefixes {
		for i := 0; ; {
			j := strings.Index(s[i:], pre)
			if j < 0 {
				break
			}
			start := i + j
			i = start + len(pre)
			if start > 0 && isWordByte(s[start-1]) {
				continue // not at a word boundary: part of a longer word
			}
			end := i
			for end < len(s) && p.body(s[end]) {
				end++
			}
			n := end - i
			if n < p.min || (p.max > 0 && (n > p.max || (end < len(s) && isWordByte(s[end])))) {
				continue
			}
			kind := p.kind
			if p.kindOf != nil {
				kind = p.kindOf(s[start:end])
			}
			var full bool
			if out, full = appendCapped(out, SecretMatch{Kind: kind, Start: start, End: end}, found, len(s)); full {
				return out
			}
			found++
			i = end
		}
	}
	return out
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isUpperAlnum(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func isTokenByte(c byte) bool { return isWordByte(c) || c == '-' }

func openAIOrAnthropic(m string) string {
	if strings.HasPrefix(m, "sk-ant-") {
		return SecretAnthropicKey
	}
	return SecretOpenAIKey
}

var (
	reJWT = regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`)
	// A PEM private key runs from its BEGIN line to its END line, or to the
	// end of the text when the END line is missing: all of it is secret.
	rePEMBegin = regexp.MustCompile(`-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----`)
	rePEMEnd   = regexp.MustCompile(`-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----`)
)

// FindSecrets returns the credentials found in s. It is shared with the
// audit redactor, which replaces each [Start, End) range. Text with
// percent-encoding (a URL, a form body) is also scanned decoded, so that
// AKIA%49OSFODNN7EXAMPLE is found too; such a match covers the encoded
// bytes of s.
func FindSecrets(s string) []SecretMatch {
	out := findSecretsIn(s, nil)
	if strings.IndexByte(s, '%') >= 0 {
		out = findPercentEncoded(s, out)
	}
	slices.SortFunc(out, func(a, b SecretMatch) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.Kind, b.Kind))
	})
	return slices.Compact(out) // a match found both as is and decoded
}

// findSecretsIn appends the credentials found in s, unsorted.
func findSecretsIn(s string, out []SecretMatch) []SecretMatch {
	for i := range tokenPatterns {
		out = tokenPatterns[i].find(s, out)
	}
	if strings.Contains(s, "eyJ") {
		for n, m := range reJWT.FindAllStringIndex(s, maxMatchesPerPattern) {
			out, _ = appendCapped(out, SecretMatch{Kind: SecretJWT, Start: m[0], End: m[1]}, n, len(s))
		}
	}
	out = findPrivateKeys(s, out)
	out = findAWSSecrets(s, out)
	if strings.Contains(s, "://") {
		out = findURLPasswords(s, out)
	}
	return findAssignments(s, out)
}

func findPrivateKeys(s string, out []SecretMatch) []SecretMatch {
	if !strings.Contains(s, "-----BEGIN") {
		return out
	}
	from := 0
	for found := 0; ; found++ {
		b := rePEMBegin.FindStringIndex(s[from:])
		if b == nil {
			return out
		}
		start, end := from+b[0], len(s)
		if e := rePEMEnd.FindStringIndex(s[from+b[1]:]); e != nil {
			end = from + b[1] + e[1]
		}
		var full bool
		if out, full = appendCapped(out, SecretMatch{Kind: SecretPrivateKey, Start: start, End: end}, found, len(s)); full {
			return out
		}
		from = end
	}
}

// awsSecretWindow is how far before a 40-character value "aws … secret"
// may appear for the value to be an AWS secret access key.
const awsSecretWindow = 64

// findAWSSecrets finds 40-character base64 values assigned to something
// named like aws_secret_access_key (= : or a quote before the value).
func findAWSSecrets(s string, out []SecretMatch) []SecretMatch {
	if !containsFold(s, "aws") || !containsFold(s, "secret") {
		return out
	}
	found := 0
	for i := 0; i < len(s); {
		if !isBase64Byte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isBase64Byte(s[j]) {
			j++
		}
		if j-i == 40 && (j == len(s) || s[j] != '=') && awsSecretContext(s[max(0, i-awsSecretWindow):i]) {
			var full bool
			if out, full = appendCapped(out, SecretMatch{Kind: SecretAWSSecretKey, Start: i, End: j}, found, len(s)); full {
				return out
			}
			found++
		}
		i = j
	}
	return out
}

// awsSecretContext checks the text before a candidate value: it ends in an
// assignment (=, :, a quote, spaces) and names an AWS secret.
func awsSecretContext(before string) bool {
	t := strings.TrimRight(before, " \t\"'")
	if t == "" || (t[len(t)-1] != '=' && t[len(t)-1] != ':' && len(t) == len(before)) {
		return false
	}
	k := strings.LastIndexFunc(t, func(r rune) bool { return r == '\n' || r == ',' || r == ';' || r == '{' })
	name := t[k+1:]
	return containsFold(name, "aws") && containsFold(name, "secret")
}

func isBase64Byte(c byte) bool { return isAlnum(c) || c == '/' || c == '+' }

// containsFold is an allocation-free case-insensitive search for an ASCII
// lower-case needle.
func containsFold(s, lowerNeedle string) bool {
	n := len(lowerNeedle)
	for i := 0; i+n <= len(s); i++ {
		if hasPrefixFold(s[i:], lowerNeedle) {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s starts with the ASCII lower-case prefix,
// ignoring ASCII case.
func hasPrefixFold(s, lowerPrefix string) bool {
	if len(s) < len(lowerPrefix) {
		return false
	}
	for j := 0; j < len(lowerPrefix); j++ {
		c := s[j]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lowerPrefix[j] {
			return false
		}
	}
	return true
}
