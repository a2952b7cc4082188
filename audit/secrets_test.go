package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/toolgate/toolgate/audit/sink"
	"github.com/toolgate/toolgate/engine"
)

// secretFamily is one credential family of the engine's detector, a sample
// and the parts of it that must never reach the sink.
type secretFamily struct {
	kind   string
	sample string
	parts  []string
}

var secretFamilies = []secretFamily{
	{"aws_access_key", "AKIAIOSFODNN7EXAMPLE", nil},
	{"aws_secret_key", "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
	{"github_token", "ghp_0123456789abcdefghijABCDEFGHIJ012345", nil},
	{"gitlab_token", "glpat-abcdefghij0123456789", nil},
	{"openai_key", "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789", nil},
	{"anthropic_key", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", nil},
	{"slack_token", "xoxb-123456789012-abcdefghijkl", nil},
	{"jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", []string{"dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}},
	{"private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n-----END RSA PRIVATE KEY-----",
		[]string{"MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu", "KUpRKfFLfRYC9AIKjbJTWit"}},
	{"password_assignment", "password=Hunter2Hunter2", []string{"Hunter2Hunter2"}},
	{"url_password", "postgres://admin:Pa55w0rdXyz@db.example.com/app", []string{"Pa55w0rdXyz"}},
	{"google_api_key", "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", nil},
	{"stripe_key", "sk_live_51HqA1b2C3d4E5f6G7h8I9j0", nil},
	{"slack_webhook", "https://hooks.slack.com/services/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", []string{"a1B2c3D4e5F6g7H8i9J0k1L2"}},
}

// secretCall places the sample everywhere a model could put it: a value, a
// nested value, an array element, inside a longer string, an object key, an
// annotation.
func secretCall(sample string) engine.Call {
	return engine.Call{
		Tool: engine.Tool{Name: "shell.exec", Arguments: map[string]any{
			"value":   sample,
			"nested":  map[string]any{"deeper": map[string]any{"x": sample}},
			"list":    []any{"ok", []any{sample}, map[string]any{"y": sample}},
			"command": "curl -H 'X: " + sample + "' https://example.com/",
			"keys":    map[string]any{sample: "v", "k": map[string]any{sample: []any{sample}}},
		}, Annotations: map[string]any{"note": sample}},
		Principal: engine.Principal{ID: "alice"},
	}
}

// TestNoSecretReachesTheSink writes every family, in every position, in both
// redaction modes, then greps the bytes on disk.
func TestNoSecretReachesTheSink(t *testing.T) {
	for _, mode := range []RedactMode{RedactErase, RedactHMAC} {
		l, path := redactingLogger(t, mode)
		for _, f := range secretFamilies {
			d := engine.Decision{ID: "d", Violations: []engine.Violation{{Code: "secret_in_arguments", Field: "arguments.value", Message: "found " + f.sample}}}
			if err := l.Decision(ctx, DecisionEvent{Call: secretCall(f.sample), Decision: d, Err: &ErrorInfo{Code: "denied", Message: f.sample}}); err != nil {
				t.Fatal(err)
			}
			if err := l.Outcome(ctx, OutcomeEvent{Tool: "shell.exec", Err: &ErrorInfo{Code: "tool_error", Message: "echoed " + f.sample}}); err != nil {
				t.Fatal(err)
			}
		}
		written := closeAndCheckNoSecret(t, mode, l, path)
		for _, f := range secretFamilies {
			if !strings.Contains(written, ":"+f.kind) {
				t.Errorf("mode %d: no %s marker: the family was not detected", mode, f.kind)
			}
		}
		if strings.Contains(written, string(testHMACKey)) {
			t.Error("the HMAC key reached the sink")
		}
		mustIntact(t, verifyFiles(t, VerifyOptions{}, path))
	}
}

// fixedFieldCall places the sample in every fixed string field of a call,
// the ones callTree builds rather than copies: principal id, tenant and
// roles, tool server, session and request. It returns the pointers that must
// be listed as erased or masked.
func fixedFieldCall(sample string) (engine.Call, []string) {
	c := engine.Call{
		Tool:      engine.Tool{Name: "shell.exec", Server: sample, Arguments: map[string]any{"x": 1}},
		Principal: engine.Principal{ID: sample, Tenant: sample, Roles: []string{"dev", sample}},
		Session:   &engine.Session{ID: sample, Agent: sample, Model: sample, CallIndex: 3},
		Request:   &engine.Request{ID: sample, Time: sample, Source: sample},
	}
	return c, []string{
		"/input/principal/id", "/input/principal/roles/1", "/input/principal/tenant", "/input/tool/server",
		"/input/session/agent", "/input/session/id", "/input/session/model",
		"/input/request/id", "/input/request/source", "/input/request/time",
		"/result/rate_limits/0/key", "/result/concurrency/0/key",
	}
}

// keyedDecision is an allowed decision whose bucket keys carry the sample,
// as the engine builds them from the principal and session.
func keyedDecision(sample string) engine.Decision {
	d := allowDecision("d")
	d.RateLimits = []engine.RateLimit{{Key: "principal:" + sample + "|session:s", Limit: 1, Per: "1m"}}
	d.Concurrency = []engine.ConcurrencyLimit{{Key: "principal:" + sample, Limit: 1}}
	return d
}

// TestNoSecretThroughFixedCallFields: a caller controls the principal,
// session and request fields as much as the arguments; a secret put there
// never reaches the sink, in either redaction mode, and every field holding
// it is listed as redacted.
func TestNoSecretThroughFixedCallFields(t *testing.T) {
	for _, mode := range []RedactMode{RedactErase, RedactHMAC} {
		l, path := redactingLogger(t, mode)
		var pointers []string
		for _, f := range secretFamilies {
			var call engine.Call
			call, pointers = fixedFieldCall(f.sample)
			if err := l.Decision(ctx, DecisionEvent{Call: call, Decision: keyedDecision(f.sample)}); err != nil {
				t.Fatal(err)
			}
		}
		closeAndCheckNoSecret(t, mode, l, path)
		for i, line := range readLines(t, path) {
			var ev struct{ Erased, Masked []string }
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatal(err)
			}
			listed := map[string]bool{}
			for _, p := range append(ev.Erased, ev.Masked...) {
				listed[p] = true
			}
			for _, p := range pointers {
				if !listed[p] {
					t.Errorf("mode %d: %s: %s not listed as redacted (erased %v, masked %v)", mode, secretFamilies[i].kind, p, ev.Erased, ev.Masked)
				}
			}
		}
		mustIntact(t, verifyFiles(t, VerifyOptions{}, path))
	}
}

// redactingLogger opens a file logger redacting in mode (with the test key
// for RedactHMAC).
func redactingLogger(t *testing.T, mode RedactMode) (*Logger, string) {
	t.Helper()
	opts := []Option{WithRedaction(mode)}
	if mode == RedactHMAC {
		opts = append(opts, WithHMACKey(testHMACKey))
	}
	return openFileLogger(t, sink.FileOptions{}, opts...)
}

// closeAndCheckNoSecret closes l, fails for every secret family sample or
// part found in the file at path (raw or JSON-escaped), and returns the file.
func closeAndCheckNoSecret(t *testing.T, mode RedactMode, l *Logger, path string) string {
	t.Helper()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range secretFamilies {
		for _, s := range append([]string{f.sample}, f.parts...) {
			if strings.Contains(string(written), s) || strings.Contains(string(written), jsonEscaped(s)) {
				t.Errorf("mode %d: %s secret %q reached the sink", mode, f.kind, s)
			}
		}
	}
	return string(written)
}

func jsonEscaped(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

// TestHMACCorrelatesAcrossEvents: the same secret masks to the same value in
// different events and positions, a different secret does not, and whoever
// holds the key can test a suspected secret against the log.
func TestHMACCorrelatesAcrossEvents(t *testing.T) {
	const tokA, tokB = "ghp_0123456789abcdefghijABCDEFGHIJ012345", "ghp_zyxwvutsrqponmlkjiZYXWVUTSRQ98765432"
	l, path := openFileLogger(t, sink.FileOptions{}, WithRedaction(RedactHMAC), WithHMACKey(testHMACKey))
	calls := []engine.Call{
		{Tool: engine.Tool{Name: "git.push", Arguments: map[string]any{"token": tokA}}, Principal: engine.Principal{ID: "alice"}},
		{Tool: engine.Tool{Name: "http.get", Arguments: map[string]any{"h": map[string]any{tokA: "Bearer " + tokA}}}, Principal: engine.Principal{ID: "bob"}},
		{Tool: engine.Tool{Name: "git.push", Arguments: map[string]any{"token": tokB}}, Principal: engine.Principal{ID: "carol"}},
	}
	for _, c := range calls {
		if err := l.Decision(ctx, DecisionEvent{Call: c}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	ls := readLines(t, path)
	macA, macB := hmacHex(tokA), hmacHex(tokB)
	input1, _, _ := strings.Cut(ls[1], `"result"`)
	if !strings.Contains(ls[0], macA) || strings.Count(input1, macA) != 2 {
		t.Fatalf("tokA does not mask alike in value and key:\n%s\n%s", ls[0], ls[1])
	}
	if strings.Contains(ls[2], macA) || !strings.Contains(ls[2], macB) {
		t.Fatalf("different secrets mask alike: %s", ls[2])
	}
	for _, ln := range ls {
		if strings.Contains(ln, "ghp_") {
			t.Fatalf("token in the clear: %s", ln)
		}
	}
}

func hmacHex(s string) string {
	m := hmac.New(sha256.New, testHMACKey)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}
