package audit

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strconv"
)

// checkpointDomain separates checkpoint signatures from any other use of the
// key. It is part of the signed message and never changes.
const checkpointDomain = "toolgate-audit-checkpoint-v1"

// keyIDBytes is how much of the SHA-256 of a public key names it.
const keyIDBytes = 8

// checkpointMessage is what a checkpoint signs: its own position (seq), the
// hash of the line before it, which commits to every earlier line, and its
// timestamp, newline separated after the domain string.
func checkpointMessage(seq uint64, prev, timestamp string) []byte {
	msg := make([]byte, 0, len(checkpointDomain)+len(prev)+len(timestamp)+24)
	msg = append(msg, checkpointDomain...)
	msg = append(msg, '\n')
	msg = strconv.AppendUint(msg, seq, 10)
	msg = append(msg, '\n')
	msg = append(msg, prev...)
	msg = append(msg, '\n')
	msg = append(msg, timestamp...)
	return append(msg, '\n')
}

func signCheckpoint(key ed25519.PrivateKey, seq uint64, prev, timestamp string) string {
	sig := ed25519.Sign(key, checkpointMessage(seq, prev, timestamp))
	return base64.StdEncoding.EncodeToString(sig)
}

func verifyCheckpoint(pub ed25519.PublicKey, seq uint64, prev, timestamp, sig string) bool {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	return ed25519.Verify(pub, checkpointMessage(seq, prev, timestamp), raw)
}

// KeyID names a checkpoint public key: the hex of the first 8 bytes of the
// SHA-256 of the raw key.
func KeyID(pub crypto.PublicKey) string {
	k, ok := pub.(ed25519.PublicKey)
	if !ok {
		return ""
	}
	sum := sha256.Sum256(k)
	return hex.EncodeToString(sum[:keyIDBytes])
}

// LoadPrivateKey reads an Ed25519 private key in PEM PKCS #8 form, as
// written by `openssl genpkey -algorithm ed25519`.
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	der, err := readPEM(path, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("audit: %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("audit: %s: not an Ed25519 key (%T)", path, k)
	}
	return priv, nil
}

// LoadPublicKey reads an Ed25519 public key in PEM PKIX form, as written by
// `openssl pkey -pubout`.
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	der, err := readPEM(path, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("audit: %s: %w", path, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("audit: %s: not an Ed25519 key (%T)", path, k)
	}
	return pub, nil
}

func readPEM(path, typ string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, errors.New("audit: " + path + ": no PEM block")
	}
	if blk.Type != typ {
		return nil, fmt.Errorf("audit: %s: PEM block %q, want %q", path, blk.Type, typ)
	}
	return blk.Bytes, nil
}
