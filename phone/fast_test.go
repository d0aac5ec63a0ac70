package phone

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The fast path must give exactly what the full parser gives, for every
// input it accepts.
func TestFastPathAgreesWithParser(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	regions := []string{"IN", "US", "GB", "AE", "DE", "BR", "CA", "AR"}
	prefixes := []string{"", "+", "+91", "+1", "+44", "+971", "+9", "+7", "0", "1", "91", "44", "+91 0"}
	fast := 0
	for i := 0; i < 60000; i++ {
		var sb strings.Builder
		sb.WriteString(prefixes[rng.IntN(len(prefixes))])
		for n := 4 + rng.IntN(10); n > 0; n-- {
			sb.WriteByte(byte('0' + rng.IntN(10)))
			if rng.IntN(8) == 0 {
				sb.WriteByte(" -.()"[rng.IntN(5)])
			}
		}
		s, region := sb.String(), regions[rng.IntN(len(regions))]
		got, ok := fastNormalize(s, region)
		if !ok {
			continue
		}
		fast++
		want, err := parseNormalize(s, s, region)
		if err != nil || got != want {
			t.Fatalf("fastNormalize(%q, %s) = %q; the parser says %q, %v", s, region, got, want, err)
		}
	}
	if fast < 1000 {
		t.Fatalf("only %d of the random numbers took the fast path", fast)
	}
}

func FuzzFastPath(f *testing.F) {
	for _, s := range []string{"9876543210", "+44 7911 123456", "+1 (202) 555-0143", "919876543210", "+971 50 123 4567"} {
		f.Add(s, "IN")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		got, ok := fastNormalize(s, strings.ToUpper(region))
		if !ok {
			return
		}
		if want, err := parseNormalize(s, s, region); err != nil || got != want {
			t.Fatalf("fastNormalize(%q, %s) = %q; the parser says %q, %v", s, region, got, want, err)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Normalize("98765"+string(rune('0'+i%10))+"3210", "IN")
	}
}
