package audit

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeKeys writes the test checkpoint key pair as openssl would.
func writeKeys(t *testing.T, dir string) (priv, pub string) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(testKey())
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(testPub())
	if err != nil {
		t.Fatal(err)
	}
	priv, pub = filepath.Join(dir, "audit.key"), filepath.Join(dir, "audit.pub")
	writeFile(t, priv, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	writeFile(t, pub, string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})))
	return priv, pub
}

func TestOpenRejectsBadConfig(t *testing.T) {
	dir := t.TempDir()
	priv, pub := writeKeys(t, dir)
	path := filepath.Join(dir, "a.jsonl")
	cases := map[string]Config{
		"unknown sink":           {Sink: "syslog"},
		"file without path":      {Sink: SinkFile},
		"negative size":          {Path: path, MaxSizeMB: -1},
		"unknown fsync":          {Path: path, Fsync: "sometimes"},
		"interval too small":     {Path: path, FsyncIntervalMS: -5},
		"unknown redact":         {Path: path, Redact: "blur"},
		"hmac without a key":     {Path: path, Redact: RedactModeHMAC},
		"hmac key too short":     {Path: path, Redact: RedactModeHMAC, HMACKey: "short"},
		"checkpoints, no key":    {Path: path, Checkpoint: CheckpointConfig{Every: 10}},
		"key, no interval":       {Path: path, Checkpoint: CheckpointConfig{KeyFile: priv}},
		"negative interval":      {Path: path, Checkpoint: CheckpointConfig{Every: -1, KeyFile: priv}},
		"missing key file":       {Path: path, Checkpoint: CheckpointConfig{Every: 10, KeyFile: filepath.Join(dir, "nope")}},
		"public key as private":  {Path: path, Checkpoint: CheckpointConfig{Every: 10, KeyFile: pub}},
		"nats without url":       {Sink: SinkNATS, NATS: NATSConfig{Stream: "S", Subject: "s", SpoolDir: dir}},
		"nats without spool dir": {Sink: SinkNATS, NATS: NATSConfig{URL: "nats://127.0.0.1:1", Stream: "S", Subject: "s"}},
	}
	t.Setenv(HMACKeyEnv, "")
	for name, cfg := range cases {
		if err := cfg.Validate(); err == nil {
			t.Errorf("%s: Validate accepted it", name)
		}
		if l, err := Open(cfg); err == nil {
			_ = l.Close()
			t.Errorf("%s: Open accepted it", name)
		}
	}
}

func TestValidateOpensNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "audit.jsonl")
	for _, cfg := range []Config{
		{Path: path},
		{Sink: SinkNATS, NATS: NATSConfig{URL: "nats://127.0.0.1:4222", Stream: "S", Subject: "s", SpoolDir: filepath.Dir(path)}},
	} {
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Fatalf("Validate created %s", filepath.Dir(path))
	}
}

func TestOpenFileWithCheckpointsAndHMACFromEnv(t *testing.T) {
	dir := t.TempDir()
	priv, pub := writeKeys(t, dir)
	t.Setenv(HMACKeyEnv, string(testHMACKey))
	path := filepath.Join(dir, "logs", "audit.jsonl")
	cfg := Config{Path: path, MaxSizeMB: 1, Fsync: FsyncModeAlways, Redact: RedactModeHMAC,
		Labels: map[string]string{"id": "n1"}, Checkpoint: CheckpointConfig{Every: 2, KeyFile: priv}}
	l, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	call := sampleCall(1)
	call.Tool.Arguments["k"] = "ghp_0123456789abcdefghijABCDEFGHIJ012345"
	for i := 0; i < 5; i++ {
		if err := l.Decision(ctx, DecisionEvent{Call: call}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	key, err := LoadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	rep := verifyFiles(t, VerifyOptions{PublicKey: key}, path)
	mustIntact(t, rep)
	// open, two interval checkpoints, close; every one signed.
	if rep.Checkpoints != 4 || rep.Signed != 4 || rep.Events != 9 {
		t.Fatalf("report %+v", rep)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "[HMAC:github_token:"+hmacHex("ghp_0123456789abcdefghijABCDEFGHIJ012345")+"]") {
		t.Fatal("the env key was not used for masking")
	}
}

func TestOpenNoneAndStdout(t *testing.T) {
	l, err := Open(Config{Sink: SinkNone})
	if err != nil || l.Enabled() {
		t.Fatalf("none: %v enabled=%v", err, l.Enabled())
	}
	l, err = Open(Config{Sink: SinkStdout, Fsync: FsyncModeNever})
	if err != nil || !l.Enabled() {
		t.Fatalf("stdout: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadKeysRejectWrongTypes(t *testing.T) {
	dir := t.TempDir()
	priv, pub := writeKeys(t, dir)
	if _, err := LoadPublicKey(priv); err == nil {
		t.Error("private key loaded as public")
	}
	garbage := filepath.Join(dir, "g")
	writeFile(t, garbage, "not pem")
	if _, err := LoadPrivateKey(garbage); err == nil {
		t.Error("garbage loaded")
	}
	k, err := LoadPrivateKey(priv)
	if err != nil || !k.Equal(testKey()) {
		t.Fatalf("private key: %v", err)
	}
	if p, err := LoadPublicKey(pub); err != nil || !p.Equal(testPub()) || KeyID(p) != KeyID(ed25519.PublicKey(testPub())) {
		t.Fatalf("public key: %v", err)
	}
}
