package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// A device cookie marks a browser that signed in before, so the account-wide
// sign-in limit does not apply to it (OWASP's "device cookie"): an attacker
// who fails from many addresses cannot lock the owner out of their own
// browser. It is a random nonce and its HMAC under a key derived from the
// password hash: nothing is stored, and changing the password forgets every
// device.

// newDevice returns a device cookie value for the password hash.
func newDevice(passwordHash string) string {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	n := base64.RawURLEncoding.EncodeToString(nonce)
	return n + "." + deviceMAC(passwordHash, n)
}

// knownDevice reports whether value is a device cookie for the password hash.
func knownDevice(passwordHash, value string) bool {
	n, mac, ok := strings.Cut(value, ".")
	if !ok || n == "" || passwordHash == "" {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(deviceMAC(passwordHash, n)))
}

func deviceMAC(passwordHash, nonce string) string {
	key := sha256.Sum256([]byte("sambad device cookie\x00" + passwordHash))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
