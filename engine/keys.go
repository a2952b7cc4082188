package engine

import "strings"

// Scopes name the bucket of a rate limit or concurrency cap by what it
// counts. A policy decides which buckets apply and their limits; the engine
// keys them from the call's identity, the same way for every policy, so
// that per-call key building does not cost every decision (it was a third of
// the time of an allowed read). A policy may still give an explicit "key".
const (
	// ScopePrincipalTool counts one principal's calls to one tool.
	ScopePrincipalTool = "principal_tool"
	// ScopePrincipal counts one principal's calls to any tool.
	ScopePrincipal = "principal"
	// ScopeSession counts one principal's calls in one session; there is no
	// such bucket for a call without a session id.
	ScopeSession = "session"
)

// bucketKeys are the keys of the scopes for one call:
//
//	principal_tool  [tenant:<t>|]principal:<id>|tool:<name>
//	principal       [tenant:<t>|]principal:<id>
//	session         [tenant:<t>|]principal:<id>|session:<sid>
type bucketKeys struct {
	principal, tool, session string
}

func keysFor(call Call) bucketKeys {
	who := "principal:" + keyPart(call.Principal.ID)
	if call.Principal.Tenant != "" {
		who = "tenant:" + keyPart(call.Principal.Tenant) + "|" + who
	}
	k := bucketKeys{principal: who, tool: who + "|tool:" + keyPart(call.Tool.Name)}
	if call.Session != nil && call.Session.ID != "" {
		k.session = who + "|session:" + keyPart(call.Session.ID)
	}
	return k
}

// keyEscaper escapes the separators of a key inside one of its parts:
// without it the principal "alice|session:s1" would share alice's session
// bucket, and tenant "a|principal:b" with id "c" the bucket of tenant "a"
// with id "b|principal:c". Parts without them (almost all) are unchanged.
var keyEscaper = strings.NewReplacer("%", "%25", "|", "%7C", ":", "%3A")

func keyPart(s string) string {
	if !strings.ContainsAny(s, "%|:") {
		return s
	}
	return keyEscaper.Replace(s)
}

// key returns the key of scope. present is false for the session scope of a
// call without a session (the bucket does not apply); known is false for a
// scope this engine does not define.
func (k bucketKeys) key(scope string) (key string, present, known bool) {
	switch scope {
	case ScopePrincipalTool:
		return k.tool, true, true
	case ScopePrincipal:
		return k.principal, true, true
	case ScopeSession:
		return k.session, k.session != "", true
	}
	return "", false, false
}
