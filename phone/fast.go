package phone

import (
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// fastCodes are the calling codes whose plain numbers skip libphonenumber's
// parser (whose regular expressions cost ~15 µs a number, most of an
// import's time), mapped to their national (trunk) prefix. Only the
// validity check runs for them. phone_test.go checks on random numbers that
// the result always equals the full parser's.
var fastCodes = map[int]string{91: "0", 1: "1", 44: "0", 971: "0"}

// fastValidators are the precompiled validity rules of the fast calling
// codes; a code whose rules cannot be compiled is missing and checked by the
// library.
var fastValidators = sync.OnceValue(func() map[int]*codeValidator {
	out := map[int]*codeValidator{}
	for cc := range fastCodes {
		if v, err := newCodeValidator(cc); err == nil {
			out[cc] = v
		}
	}
	return out
})

// fastRegions are the default regions whose national numbers take the fast path.
var fastRegions = map[string]int{"IN": 91, "US": 1, "GB": 44, "AE": 971}

// fastNormalize handles a number made only of digits (after an optional
// leading +) and spaces, dashes, dots or brackets, when it is valid and
// cannot carry an international or national prefix. ok is false when the
// full parser must decide.
// maxParserInput is libphonenumber's MAX_INPUT_STRING_LENGTH: longer input
// is never a number, however many digits it holds.
const maxParserInput = 250

func fastNormalize(s, region string) (e164 string, ok bool) {
	if len(s) > maxParserInput {
		return "", false // the parser refuses such input outright; let it say so
	}
	var buf [20]byte
	n, plus := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return "", false
			}
			buf[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			return "", false
		}
	}
	d := string(buf[:n])
	var cc int
	var nsn string
	if plus && (d == "" || d[0] == '0') {
		return "", false
	}
	if plus {
		for l := 1; l <= 3 && l < len(d); l++ {
			c, _ := strconv.Atoi(d[:l])
			if _, fast := fastCodes[c]; fast {
				cc, nsn = c, d[l:]
				break
			}
			if phonenumbers.GetRegionCodeForCountryCode(c) != phonenumbers.UNKNOWN_REGION {
				return "", false // another country: the full parser knows it
			}
		}
	} else {
		cc, nsn = fastRegions[region], d
	}
	prefix, fast := fastCodes[cc]
	// A leading 0 may be a trunk or international prefix, a leading trunk
	// prefix is stripped by the parser: leave both to it.
	if !fast || len(nsn) < 4 || len(nsn) > 17 || nsn[0] == '0' || (prefix != "" && nsn[:len(prefix)] == prefix) {
		return "", false
	}
	nn, err := strconv.ParseUint(nsn, 10, 64)
	if err != nil {
		return "", false
	}
	// nsn has no leading zero, so it is the national significant number
	// the library would format from nn.
	if v := fastValidators()[cc]; v != nil {
		if !v.valid(nsn) {
			return "", false
		}
	} else {
		code := int32(cc)
		num := &phonenumbers.PhoneNumber{CountryCode: &code, NationalNumber: &nn}
		if !phonenumbers.IsValidNumber(num) {
			return "", false
		}
	}
	return "+" + strconv.Itoa(cc) + nsn, true
}
