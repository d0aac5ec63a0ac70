// Package support builds the troubleshooting bundle: configuration without
// secrets, versions, doctor output and the end of error.log with phone
// numbers and anything secret-looking masked.
package support

import (
	"regexp"
	"strings"
)

var (
	// A phone number: optional +, 8 to 15 digits, not inside a longer word or number.
	phoneRe = regexp.MustCompile(`(^|[^0-9A-Za-z-])(\+?[0-9]{8,15})($|[^0-9A-Za-z])`)
	// user:password@ in a URL (database URLs, proxies).
	urlPasswordRe = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"']*:)([^@\s"']+)(@)`)
	// key=value or "key":"value" where the key names a secret.
	secretKVRe = regexp.MustCompile(`(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|authorization|cookie|session)[a-z_]*["']?\s*[:=]\s*["']?(?:(?i:bearer|basic)\s+)?)([^"'\s,&}]+)`)
	// Authorization: Bearer <token>.
	bearerRe = regexp.MustCompile(`(?i)(bearer\s+)([^\s"',]+)`)
	// Long random-looking strings (tokens, keys, hashes); UUIDs are 36 characters and stay.
	longTokenRe = regexp.MustCompile(`[A-Za-z0-9+/_=-]{40,}`)
)

// MaskLine hides phone numbers (+91987****210) and secrets in one log line.
func MaskLine(line string) string {
	line = urlPasswordRe.ReplaceAllString(line, "${1}****${3}")
	line = bearerRe.ReplaceAllString(line, "${1}****")
	line = secretKVRe.ReplaceAllStringFunc(line, func(m string) string {
		sub := secretKVRe.FindStringSubmatch(m)
		if sub[2] == "(set)" || sub[2] == "****" {
			return m // already redacted: "(set)" tells the reader it is configured
		}
		return sub[1] + "****"
	})
	line = longTokenRe.ReplaceAllStringFunc(line, func(s string) string {
		if strings.IndexFunc(s, isLetter) < 0 || strings.IndexFunc(s, isDigit) < 0 {
			return s // a word or a number, not a token
		}
		return "****"
	})
	// Twice: adjacent numbers share the separator between them.
	for range 2 {
		line = phoneRe.ReplaceAllStringFunc(line, maskPhoneMatch)
	}
	return line
}

func maskPhoneMatch(m string) string {
	sub := phoneRe.FindStringSubmatch(m)
	return sub[1] + MaskPhone(sub[2]) + sub[3]
}

// MaskPhone keeps the country code and first digits and the last three:
// +919876543210 → +91987****210.
func MaskPhone(p string) string {
	keep := 5
	if strings.HasPrefix(p, "+") {
		keep = 6
	}
	if len(p) <= keep+3 {
		return strings.Repeat("*", len(p))
	}
	return p[:keep] + "****" + p[len(p)-3:]
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
