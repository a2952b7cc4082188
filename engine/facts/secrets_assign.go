package facts

import (
	"regexp"
	"strings"
)

// Bounds of a password_assignment value.
const (
	minSecretValue = 6   // shorter values are placeholders or flags, not credentials
	maxSecretValue = 512 // a value is redacted up to here; longer text is not one credential
)

// reAssignment finds "name = " / "name: " where name is a credential
// keyword. Bare "token" needs a word boundary so page_token and max_tokens
// stay out; an upper-case SOMETHING_TOKEN (an environment variable) is in.
var reAssignment = regexp.MustCompile(`(?i)(?:password|passwd|passphrase|secret(?:[_-]?key)?|api[_-]?key|private[_-]?key|` +
	`(?:access|auth|refresh|session|bearer)[_-]?token|\btoken|(?-i:_TOKEN)|\bauthorization|\bpwd)["']?\s{0,4}[:=]\s{0,4}`)

// findAssignments appends the values of credential assignments in s:
// password=hunter22, "api_key": "…", Authorization: Bearer …, Pwd=…;
func findAssignments(s string, out []SecretMatch) []SecretMatch {
	if !strings.ContainsAny(s, ":=") || !hasAssignmentStem(s) {
		return out
	}
	// Only accepted values count toward the cap: decoys like "token: x"
	// must not use it up before the real credential.
	found := 0
	for from := 0; from < len(s); {
		m := reAssignment.FindStringIndex(s[from:])
		if m == nil {
			break
		}
		start, end := assignedValue(s, from+m[1])
		from = max(end, from+m[1]+1)
		if !isCredentialValue(s[start:end]) {
			continue
		}
		var full bool
		if out, full = appendCapped(out, SecretMatch{Kind: SecretPassword, Start: start, End: end}, found, len(s)); full {
			break
		}
		found++
	}
	return out
}

// assignmentStems cover every keyword of reAssignment; text without any of
// them skips the (case-insensitive, so slower) regex.
var assignmentStems = [...]string{"pass", "secret", "key", "token", "auth", "pwd"}

func hasAssignmentStem(s string) bool {
	for _, stem := range assignmentStems {
		if containsFold(s, stem) {
			return true
		}
	}
	return false
}

// assignedValue returns the range of the value that starts at i: up to the
// closing quote when quoted, else up to whitespace or a separator. An HTTP
// auth scheme (Bearer, Basic, Token) before it is skipped.
func assignedValue(s string, i int) (start, end int) {
	var quote byte
	if i < len(s) && (s[i] == '"' || s[i] == '\'' || s[i] == '`') {
		quote = s[i]
		i++
	}
	for _, scheme := range [...]string{"bearer ", "basic ", "token "} {
		if hasPrefixFold(s[i:], scheme) {
			i += len(scheme)
			break
		}
	}
	start = i
	for i < len(s) && i-start < maxSecretValue {
		c := s[i]
		if quote != 0 {
			if c == quote || c == '\n' {
				break
			}
		} else if c <= ' ' || strings.IndexByte("\"'`,;&)}]<>", c) >= 0 {
			break
		}
		i++
	}
	return start, i
}

// placeholderValues are common non-secrets after a credential keyword
// (schemas, docs, templates).
var placeholderValues = map[string]bool{
	"null": true, "none": true, "nil": true, "true": true, "false": true,
	"undefined": true, "string": true, "number": true, "boolean": true,
	"required": true, "optional": true, "redacted": true, "example": true,
	"password": true, "secret": true, "token": true,
}

// isCredentialValue rejects what is clearly not a credential: too short, a
// template or variable reference, one repeated character (*****), or a
// placeholder word.
func isCredentialValue(v string) bool {
	v = withoutAuthScheme(v)
	if len(v) < minSecretValue {
		return false
	}
	if strings.IndexByte("$<{%[(", v[0]) >= 0 {
		return false
	}
	if strings.Count(v, v[:1]) == len(v) {
		return false
	}
	lower := strings.ToLower(v)
	return !placeholderValues[lower] && !strings.HasPrefix(lower, "your")
}

// sensitiveKey reports an object key whose string value is a credential by
// name: {"password": …}, {"X-Api-Key": …}, {"client_secret": …}.
func sensitiveKey(k string) bool {
	if strings.HasSuffix(k, "_TOKEN") {
		return true
	}
	var b [64]byte
	n := 0
	for i := 0; i < len(k) && n < len(b); i++ {
		c := k[i]
		switch {
		case c == '-' || c == '_' || c == '.' || c == ' ':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		b[n] = c
		n++
	}
	norm := string(b[:n])
	if norm == "token" || norm == "pwd" {
		return true
	}
	for _, suf := range sensitiveKeySuffixes {
		if strings.HasSuffix(norm, suf) {
			return true
		}
	}
	return false
}

var sensitiveKeySuffixes = []string{
	"password", "passwd", "passphrase", "secret", "secretkey", "apikey", "privatekey",
	"secretaccesskey", "accesstoken", "authtoken", "refreshtoken", "sessiontoken", "bearertoken",
	"authorization", "credentials",
}

// reAWSSecretValue is the shape of an AWS secret access key on its own.
var reAWSSecretValue = regexp.MustCompile(`^[A-Za-z0-9/+]{40}$`)

// keyedSecretKind is the kind of a credential found by its key name.
func keyedSecretKind(key, value string) string {
	if containsFold(key, "secret") && (containsFold(key, "aws") || containsFold(key, "access")) &&
		reAWSSecretValue.MatchString(value) {
		return SecretAWSSecretKey
	}
	return SecretPassword
}

// authSchemes are the HTTP authorization schemes a header value may start
// with; the credential, or its placeholder, is what follows.
var authSchemes = []string{"bearer ", "basic ", "token ", "digest "}

// withoutAuthScheme removes a leading authorization scheme: "Bearer ${TOKEN}"
// is a placeholder like "${TOKEN}", "Bearer 9f8e…" a credential like "9f8e…".
func withoutAuthScheme(v string) string {
	for _, s := range authSchemes {
		if hasPrefixFold(v, s) {
			return strings.TrimLeft(v[len(s):], " ")
		}
	}
	return v
}
