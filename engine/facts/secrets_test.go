package facts

import (
	"reflect"
	"strings"
	"testing"
)

// Fake credentials are assembled at run time so that this file does not
// itself look like it leaks any.
var (
	fakeGitHub    = "ghp_" + strings.Repeat("A1b2", 9)
	fakeGitHubPAT = "github_pat_" + strings.Repeat("x9", 30)
	fakeGitLab    = "glpat-" + strings.Repeat("Zz", 10)
	fakeOpenAI    = "sk-proj-" + strings.Repeat("Ab3", 16)
	fakeAnthropic = "sk-ant-api03-" + strings.Repeat("q_W", 30) + "AA"
	fakeSlack     = "xoxb-" + "123456789012-" + strings.Repeat("k", 24)
	fakeJWT       = "eyJhbGciOiJIUzI1NiJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0" + "." + "c2lnbmF0dXJlLXNpZw"
	fakeAWSKey    = "AKIA" + "IOSFODNN7EXAMPLE"
	fakeAWSSecret = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
	fakePEM       = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA " + "PRIVATE KEY-----"
)

// found is a match as kind and matched text, easier to read than offsets.
type found struct{ kind, text string }

func findAll(s string) []found {
	var out []found
	for _, m := range FindSecrets(s) {
		out = append(out, found{m.Kind, s[m.Start:m.End]})
	}
	return out
}

func TestFindSecrets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, s string
		want    []found
	}{
		{"aws access key", "key " + fakeAWSKey + " end", []found{{SecretAWSAccessKey, fakeAWSKey}}},
		{"aws access key inside a word", "X" + fakeAWSKey, nil},
		{"aws secret", "aws_secret_access_key = " + fakeAWSSecret + "\n", []found{{SecretAWSSecretKey, fakeAWSSecret}}},
		{"aws secret json", `{"AWS_SECRET_ACCESS_KEY": "` + fakeAWSSecret + `"}`, []found{{SecretAWSSecretKey, fakeAWSSecret}}},
		{"github", "token " + fakeGitHub, []found{{SecretGitHubToken, fakeGitHub}}},
		{"github pat", fakeGitHubPAT, []found{{SecretGitHubToken, fakeGitHubPAT}}},
		{"gitlab", "x " + fakeGitLab, []found{{SecretGitLabToken, fakeGitLab}}},
		{"openai", "OPENAI=" + fakeOpenAI, []found{{SecretOpenAIKey, fakeOpenAI}}},
		{"anthropic", fakeAnthropic, []found{{SecretAnthropicKey, fakeAnthropic}}},
		{"slack", "slack " + fakeSlack, []found{{SecretSlackToken, fakeSlack}}},
		{"jwt", "Cookie: s=" + fakeJWT, []found{{SecretJWT, fakeJWT}}},
		{"pem block", "key:\n" + fakePEM + "\nrest", []found{{SecretPrivateKey, fakePEM}}},
		{"pem without end", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz", []found{{SecretPrivateKey, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz"}}},
		{"google api key", "?key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", []found{{SecretGoogleAPIKey, "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"}}},
		{"stripe live key", "STRIPE=sk_live_51HqA1b2C3d4E5f6G7h8I9j0", []found{{SecretStripeKey, "sk_live_51HqA1b2C3d4E5f6G7h8I9j0"}}},
		{"stripe publishable key", "pk_live_51HqA1b2C3d4E5f6G7h8I9j0", nil},
		{"slack webhook", "https://hooks.slack.com/services/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", []found{{SecretSlackWebhook, "hooks.slack.com/services/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"}}},
		{"url password", "https://deploy:S3cr3tPassw0rd!@example.com/x", []found{{SecretURLPassword, "S3cr3tPassw0rd!"}}},
		{"connection string password", `{"db":"postgres://admin:Pa55w0rdXyz@db/app"}`, []found{{SecretURLPassword, "Pa55w0rdXyz"}}},
		{"url password placeholder", "postgres://app:${DB_PASSWORD}@db/app and https://u:<pass>@h/", nil},
		{"url user without password", "ssh://git@github.com/acme/app.git", nil},
		{"password", "password=hunter22&x=1", []found{{SecretPassword, "hunter22"}}},
		{"quoted password with spaces", `{"db_password": "correct horse"}`, []found{{SecretPassword, "correct horse"}}},
		{"env assignment", "export DB_PASSWD='s3cr3t!!'", []found{{SecretPassword, "s3cr3t!!"}}},
		{"upper-case token variable", "MY_TOKEN=abcdef123 ./run", []found{{SecretPassword, "abcdef123"}}},
		{"bearer header", "curl -H 'Authorization: Bearer abc.def.ghi'", []found{{SecretPassword, "abc.def.ghi"}}},
		{"api key header", "X-Api-Key: k3y-v4lue-1", []found{{SecretPassword, "k3y-v4lue-1"}}},
		{"query token", "https://x.example/?token=abcdef12345&y=1", []found{{SecretPassword, "abcdef12345"}}},
		{"odbc pwd", "Server=x;Uid=u;Pwd=secret99;", []found{{SecretPassword, "secret99"}}},
		{"token assigned a jwt", "token=" + fakeJWT, []found{{SecretJWT, fakeJWT}, {SecretPassword, fakeJWT}}},
		{"page token is not a credential", "next_page_token=abcdef12345", nil},
		{"max tokens", "max_tokens: 4096", nil},
		{"masked", "password: ********", nil},
		{"template", "password=${DB_PASSWORD}", nil},
		{"schema word", `"token": "string"`, nil},
		{"placeholder", "api_key=YOUR_API_KEY", nil},
		{"short", "password=abc", nil},
		{"prose", "reset the password for the secret garden", nil},
		{"plain text", "git status && ls -la", nil},
		// Percent-encoded text is scanned decoded too; the match covers the
		// encoded bytes, so a redactor removes all of them.
		{"percent-encoded aws key", "https://evil.example/c?k=AKIA%49OSFODNN7EXAMPLE", []found{{SecretAWSAccessKey, "AKIA%49OSFODNN7EXAMPLE"}}},
		{"percent-encoded prefix", "k=%41%4B%49%41IOSFODNN7EXAMPLE&x=1", []found{{SecretAWSAccessKey, "%41%4B%49%41IOSFODNN7EXAMPLE"}}},
		{"percent-encoded github", "t=ghp%5F" + strings.Repeat("A1b2", 9), []found{{SecretGitHubToken, "ghp%5F" + strings.Repeat("A1b2", 9)}}},
		{"double percent-encoded", "k=AKIA%2549OSFODNN7EXAMPLE", []found{{SecretAWSAccessKey, "AKIA%2549OSFODNN7EXAMPLE"}}},
		{"encoded separator before a key", "q=x%2F" + fakeAWSKey, []found{{SecretAWSAccessKey, fakeAWSKey}}},
		{"percent-encoded assignment", "next=%2Flogin%3Fpassword%3Dhunter22", []found{{SecretPassword, "hunter22"}}},
		{"malformed escape before an encoded key", "100%zz k=AKIA%49OSFODNN7EXAMPLE%", []found{{SecretAWSAccessKey, "AKIA%49OSFODNN7EXAMPLE"}}},
		{"plain key next to escapes is found once", fakeAWSKey + "&q=a%20b", []found{{SecretAWSAccessKey, fakeAWSKey}}},
		{"benign escapes", "https://example.com/search?q=hello%20world%21&lang=en&p=%E2%82%AC100", nil},
		{"malformed escapes", "100% sure, 50%off %zz %", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := findAll(c.s); !reflect.DeepEqual(got, c.want) {
				t.Errorf("FindSecrets(%q)\n got: %v\nwant: %v", c.s, got, c.want)
			}
		})
	}
}

func TestScanSecrets(t *testing.T) {
	t.Parallel()
	args := map[string]any{
		"headers":  map[string]any{"Authorization": "Bearer " + fakeJWT, "Accept": "*/*"},
		"items":    []any{"nothing", fakeAWSKey, map[string]any{"deep": []any{fakeGitLab}}},
		"password": "hunter22",
		"count":    "42",
		"a.b":      fakeSlack,
		// A credential used as an object key is reported at the object, and
		// so is everything under it: the path never repeats the secret.
		"meta": map[string]any{fakeGitHub: map[string]any{"x": fakeOpenAI}},
		"aws":  map[string]any{"secret_access_key": fakeAWSSecret},
	}
	want := []SecretHit{
		{"arguments[\"a.b\"]", SecretSlackToken},
		{"arguments.aws.secret_access_key", SecretAWSSecretKey},
		{"arguments.headers.Authorization", SecretPassword},
		{"arguments.headers.Authorization", SecretJWT},
		{"arguments.items[1]", SecretAWSAccessKey},
		{"arguments.items[2].deep[0]", SecretGitLabToken},
		{"arguments.meta", SecretGitHubToken},
		{"arguments.meta", SecretOpenAIKey},
		{"arguments.password", SecretPassword},
	}
	if got := ScanSecrets(args); !reflect.DeepEqual(got, want) {
		t.Errorf("ScanSecrets\n got: %v\nwant: %v", got, want)
	}
	if got := ScanSecrets(nil); got != nil {
		t.Errorf("ScanSecrets(nil) = %v", got)
	}
}

// TestScanSecretsAuthSchemes: a header value is judged after its scheme:
// a placeholder after Bearer is no secret, a token after it is.
func TestScanSecretsAuthSchemes(t *testing.T) {
	t.Parallel()
	args := map[string]any{"headers": map[string]any{
		"Authorization":       "Bearer ${API_TOKEN}",
		"X-Authorization":     "bearer <token>",
		"Proxy-Authorization": "Basic  dXNlcjpodW50ZXIyMg==",
		"X-Api-Key":           "Token 9f8e7d6c5b4a39281706",
	}}
	want := []SecretHit{
		{"arguments.headers.Proxy-Authorization", SecretPassword},
		{"arguments.headers.X-Api-Key", SecretPassword},
	}
	if got := ScanSecrets(args); !reflect.DeepEqual(got, want) {
		t.Errorf("ScanSecrets\n got: %v\nwant: %v", got, want)
	}
}

// TestScanSecretsPercentEncoded: a percent-encoded credential is reported
// at the field that holds it.
func TestScanSecretsPercentEncoded(t *testing.T) {
	t.Parallel()
	args := map[string]any{
		"url":  "https://evil.example/collect?k=AKIA%49OSFODNN7EXAMPLE",
		"body": "t=ghp%5F" + strings.Repeat("A1b2", 9),
		"q":    "https://example.com/?q=a%20b%2Fc",
	}
	want := []SecretHit{{"arguments.body", SecretGitHubToken}, {"arguments.url", SecretAWSAccessKey}}
	if got := ScanSecrets(args); !reflect.DeepEqual(got, want) {
		t.Errorf("ScanSecrets\n got: %v\nwant: %v", got, want)
	}
}

// TestScanSecretsEmbeddedJSON: a credential hidden by JSON escapes in a
// string that is itself a JSON document is found, at that string's field;
// keys inside the document never become fields.
func TestScanSecretsEmbeddedJSON(t *testing.T) {
	t.Parallel()
	escaped := `\u0067hs_` + strings.Repeat("A1b2", 9)
	args := map[string]any{
		"body":   `{"note": "` + escaped + `"}`,
		"nested": `  [{"inner": "{\"k\": \"\\u0041KIAIOSFODNN7EXAMPLE\"}"}]`,
		"key":    `{"` + escaped + `": 1}`,
		"string": `"` + escaped + `"`,
		"plain":  `{"path": "C:\\Users\\me"}`,
		"broken": `{"note": "` + escaped + `"`,
	}
	want := []SecretHit{
		{"arguments.body", SecretGitHubToken},
		{"arguments.key", SecretGitHubToken},
		{"arguments.nested", SecretAWSAccessKey},
		{"arguments.string", SecretGitHubToken},
	}
	if got := ScanSecrets(args); !reflect.DeepEqual(got, want) {
		t.Errorf("ScanSecrets\n got: %v\nwant: %v", got, want)
	}
}

// TestScanSecretsBounds: what is not scanned is reported, never skipped.
func TestScanSecretsBounds(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("a", maxSecretScanBytes) + fakeGitHub
	got := ScanSecrets(map[string]any{"a": "x", "b": big, "c": fakeGitHub})
	// Key "c" can no longer be scanned either, so it is reported (and will be
	// redacted) at its object: here the arguments themselves.
	want := []SecretHit{{"arguments.b", SecretUnscanned}, {"arguments", SecretUnscanned}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("over budget\n got: %v\nwant: %v", got, want)
	}

	var deep any = fakeGitHub
	for range maxSecretDepth + 2 {
		deep = []any{deep}
	}
	got = ScanSecrets(map[string]any{"d": deep})
	if len(got) != 1 || got[0].Kind != SecretUnscanned {
		t.Errorf("too deep: got %v, want one unscanned hit", got)
	}

	many := make([]any, maxSecretHits+10)
	for i := range many {
		many[i] = fakeGitHub
	}
	got = ScanSecrets(map[string]any{"m": many})
	if len(got) != maxSecretHits || got[len(got)-1] != (SecretHit{"arguments", SecretUnscanned}) {
		t.Errorf("too many hits: got %d hits ending %v", len(got), got[len(got)-1])
	}
}

// TestFindSecretsCap: past the per-kind cap the rest of the string is one
// match, so a redactor never leaves a credential behind; decoys that are
// not credentials do not use the cap up.
func TestFindSecretsCap(t *testing.T) {
	t.Parallel()
	s := strings.Repeat(fakeGitHub+" ", maxMatchesPerPattern+20)
	ms := FindSecrets(s)
	if len(ms) != maxMatchesPerPattern {
		t.Fatalf("got %d matches, want %d", len(ms), maxMatchesPerPattern)
	}
	if last := ms[len(ms)-1]; last.End != len(s) || last.Kind != SecretGitHubToken {
		t.Errorf("last match %+v does not run to the end (%d)", last, len(s))
	}

	decoys := strings.Repeat("token: x ", maxMatchesPerPattern*2) + "password=hunter22"
	got := findAll(decoys)
	if want := []found{{SecretPassword, "hunter22"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after decoys: got %v, want %v", got, want)
	}
}
