package facts

import "regexp"

// reURLPassword finds the password of scheme://user:password@host, in a URL
// or a connection string (postgres://app:…@db/app): group 1 is the password.
var reURLPassword = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]{0,15}://[^\s/?#@:]*:([^\s/?#@]{1,256})@`)

// findURLPasswords appends the passwords of URLs with user information;
// placeholders (${PASS}, <password>, ****) are not credentials.
func findURLPasswords(s string, out []SecretMatch) []SecretMatch {
	for n, m := range reURLPassword.FindAllStringSubmatchIndex(s, maxMatchesPerPattern) {
		if !isCredentialValue(s[m[2]:m[3]]) {
			continue
		}
		var full bool
		if out, full = appendCapped(out, SecretMatch{Kind: SecretURLPassword, Start: m[2], End: m[3]}, n, len(s)); full {
			return out
		}
	}
	return out
}
