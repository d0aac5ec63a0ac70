package phone

import (
	"flag"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

var agreeN = flag.Int("agree.n", 100_000, "random numbers per fast calling code in TestValidatorAgreesWithLibrary")

// libraryValid is what the precompiled validator must always equal.
func libraryValid(cc int, nsn string) bool {
	nn, err := strconv.ParseUint(nsn, 10, 64)
	if err != nil {
		panic(err)
	}
	code := int32(cc)
	return phonenumbers.IsValidNumber(&phonenumbers.PhoneNumber{CountryCode: &code, NationalNumber: &nn})
}

// randomNSN returns a national significant number (no leading zero) of
// 1 to 17 digits: either fully random, or an example number of the code's
// regions with a few digits changed, cut or added, so that valid numbers,
// edge lengths and near misses are all common.
func randomNSN(rng *rand.Rand, examples []string) string {
	var b []byte
	if len(examples) > 0 && rng.IntN(3) > 0 {
		b = []byte(examples[rng.IntN(len(examples))])
		for n := rng.IntN(4); n > 0; n-- {
			b[rng.IntN(len(b))] = byte('0' + rng.IntN(10))
		}
		switch rng.IntN(6) {
		case 0:
			b = b[:1+rng.IntN(len(b))]
		case 1:
			for n := 1 + rng.IntN(3); n > 0; n-- {
				b = append(b, byte('0'+rng.IntN(10)))
			}
		}
	} else {
		for n := 1 + rng.IntN(17); n > 0; n-- {
			b = append(b, byte('0'+rng.IntN(10)))
		}
	}
	if len(b) > 17 {
		b = b[:17]
	}
	if b[0] == '0' {
		b[0] = byte('1' + rng.IntN(9))
	}
	return string(b)
}

// exampleNSNs are the example numbers of every type of every region of cc.
func exampleNSNs(cc int) []string {
	var out []string
	for _, region := range phonenumbers.GetRegionCodesForCountryCode(cc) {
		for t := phonenumbers.FIXED_LINE; t <= phonenumbers.VOICEMAIL; t++ {
			if n := phonenumbers.GetExampleNumberForType(region, t); n != nil && !n.GetItalianLeadingZero() {
				out = append(out, strconv.FormatUint(n.GetNationalNumber(), 10))
			}
		}
	}
	return out
}

func checkAgreement(t *testing.T, cc, n int, seed uint64) (valid, invalid int) {
	t.Helper()
	v, err := newCodeValidator(cc)
	if err != nil {
		t.Fatalf("+%d: %v", cc, err)
	}
	rng := rand.New(rand.NewPCG(seed, uint64(cc)))
	examples := exampleNSNs(cc)
	for i := 0; i < n; i++ {
		nsn := randomNSN(rng, examples)
		got, want := v.valid(nsn), libraryValid(cc, nsn)
		if got != want {
			t.Fatalf("+%d %s: precompiled validator says %v, phonenumbers.IsValidNumber says %v", cc, nsn, got, want)
		}
		if got {
			valid++
		} else {
			invalid++
		}
	}
	return valid, invalid
}

// The precompiled validator used by the fast path must equal the library's
// IsValidNumber on every number; run with -agree.n=2000000 for millions.
func TestValidatorAgreesWithLibrary(t *testing.T) {
	for cc := range fastCodes {
		valid, invalid := checkAgreement(t, cc, *agreeN, 7)
		// Both answers must be common, or the comparison proves little.
		if valid < *agreeN/20 || invalid < *agreeN/20 {
			t.Fatalf("+%d: only %d valid and %d invalid numbers of %d", cc, valid, invalid, *agreeN)
		}
		t.Logf("+%d: %d valid, %d invalid, all agree", cc, valid, invalid)
	}
}

// The validator is generic: it must agree for every calling code the
// library knows (shared codes such as +7 and +262, non-geographic ones
// such as +800), not only the fast ones.
func TestValidatorAgreesForEveryCallingCode(t *testing.T) {
	codes := 0
	for cc := 1; cc < 1000; cc++ {
		if len(phonenumbers.GetRegionCodesForCountryCode(cc)) == 0 {
			continue
		}
		codes++
		checkAgreement(t, cc, 2000, 11)
	}
	if codes < 200 {
		t.Fatalf("only %d calling codes checked", codes)
	}
}

func FuzzValidator(f *testing.F) {
	for _, s := range []string{"9876543210", "7911123456", "2025550143", "501234567", "1"} {
		f.Add(s)
	}
	codes := []int{91, 1, 44, 971}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || len(s) > 17 || s[0] < '1' || s[0] > '9' {
			return
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return
			}
		}
		for _, cc := range codes {
			v := fastValidators()[cc]
			if v == nil {
				t.Fatalf("+%d has no precompiled validator", cc)
			}
			if got, want := v.valid(s), libraryValid(cc, s); got != want {
				t.Fatalf("+%d %s: precompiled validator says %v, the library %v", cc, s, got, want)
			}
		}
	})
}

func BenchmarkValidator(b *testing.B) {
	v := fastValidators()[91]
	for i := 0; b.Loop(); i++ {
		v.valid("98765" + strconv.Itoa(10000+i%90000))
	}
}

func BenchmarkLibraryIsValidNumber(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		libraryValid(91, "98765"+strconv.Itoa(10000+i%90000))
	}
}
