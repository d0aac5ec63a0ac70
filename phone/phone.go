// Package phone normalises phone numbers to E.164 with libphonenumber's rules
// (github.com/nyaruka/phonenumbers), so the same person typed three ways is
// stored once.
package phone

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid is wrapped by every normalisation failure.
var ErrInvalid = errors.New("invalid phone number")

// Normalize returns the E.164 form (+919876543210) of raw. Numbers without a
// country code are read as numbers of region (ISO 3166 alpha-2, e.g. "IN").
// A leading "00" is read as an international prefix.
func Normalize(raw, region string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalid)
	}
	if len(s) > 40 {
		return "", fmt.Errorf("%w: '%s…' is too long", ErrInvalid, s[:20])
	}
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	if e164, ok := fastNormalize(s, strings.ToUpper(region)); ok {
		return e164, nil
	}
	return parseNormalize(raw, s, region)
}

// parseNormalize is Normalize by libphonenumber's full parser.
func parseNormalize(raw, s, region string) (string, error) {
	num, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil {
		return "", fmt.Errorf("%w: '%s' is not a valid number for region %s", ErrInvalid, raw, region)
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", fmt.Errorf("%w: '%s' is not a valid number for region %s", ErrInvalid, raw, region)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// Digits returns the number without the leading "+", as WhatsApp's
// click-to-chat links want it.
func Digits(e164 string) string { return strings.TrimPrefix(e164, "+") }
