package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// Headers every delivery carries.
const (
	HeaderSignature = "X-Sambad-Signature"
	HeaderTimestamp = "X-Sambad-Timestamp"
	HeaderEvent     = "X-Sambad-Event"
	HeaderEventID   = "X-Sambad-Event-Id"
)

// Sign returns the X-Sambad-Signature value for body: "sha256=" and the hex
// HMAC-SHA256 of the body keyed with the endpoint's secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's signature with secret, in
// constant time. Receivers written in Go can use it as it is.
func Verify(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

// NewSecret returns a random secret for an endpoint registered without one.
func NewSecret() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("webhook: no randomness: " + err.Error())
	}
	return "whsec_" + hex.EncodeToString(b)
}

// MaskSecret shows enough of a secret to tell two apart, never enough to use.
func MaskSecret(s string) string {
	if len(s) <= 10 {
		return "••••"
	}
	return s[:6] + "••••" + s[len(s)-4:]
}
