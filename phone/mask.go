package phone

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// MaskRune replaces the hidden digits of a masked number.
const MaskRune = '•'

// Masked writes a number the way Readable does, with the middle of its
// national number hidden: the country code, the first two digits and the
// last three stay ("+919876543210" becomes "+91 98••• ••210"). Staff who
// may not see numbers get this everywhere a number is shown. Anything that
// is not a number it can parse is masked digit by digit the same way.
func Masked(e164 string) string {
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return maskDigits(e164, 0)
	}
	readable := phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
	// The digits of the country code are the first ones of the readable
	// form; the national number follows.
	cc := len(strconv.Itoa(int(n.GetCountryCode())))
	return maskDigits(readable, cc)
}

// maskDigits hides every digit of s after the first skip digits, but for
// the two that follow them and the last three.
func maskDigits(s string, skip int) string {
	total := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			total++
		}
	}
	national := total - skip
	if national <= 5 {
		// Too short to keep five digits and still hide any: hide them all.
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return MaskRune
			}
			return r
		}, s)
	}
	var b strings.Builder
	i := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			i++
			k := i - skip // position in the national number, from 1
			if k > 2 && k <= national-3 {
				b.WriteRune(MaskRune)
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// numberInText is a run of 8 to 15 digits, with or without a leading +,
// that is not part of a longer word, number or identifier.
var numberInText = regexp.MustCompile(`(^|[^0-9A-Za-z_\-/.])(\+?[0-9]{8,15})($|[^0-9A-Za-z_\-])`)

// MaskText masks every phone-number-like run of digits in free text (a
// message as sent, an error): "+919876543210" and "919876543210" become
// "+91 98••• ••210" and "9198•••••210".
func MaskText(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	for range 2 { // twice: adjacent numbers share the separator between them
		s = numberInText.ReplaceAllStringFunc(s, func(m string) string {
			sub := numberInText.FindStringSubmatch(m)
			num := sub[2]
			if strings.HasPrefix(num, "+") {
				return sub[1] + Masked(num) + sub[3]
			}
			return sub[1] + maskDigits(num, 0) + sub[3]
		})
	}
	return s
}
