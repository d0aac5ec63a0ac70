package browser

import (
	"fmt"
	"strings"
)

// phoneDigits turns "+91 98765-43210" or "919876543210" into the digits the
// click-to-chat URL wants.
func phoneDigits(phone string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '.':
		default:
			return "", fmt.Errorf("%w: %q has the character %q", ErrBadPhone, phone, r)
		}
	}
	d := b.String()
	if len(d) < 7 || len(d) > 15 {
		return "", fmt.Errorf("%w: %q must have 7 to 15 digits with the country code", ErrBadPhone, phone)
	}
	return d, nil
}
