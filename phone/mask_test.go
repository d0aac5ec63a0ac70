package phone

import (
	"strings"
	"testing"
)

func TestMasked(t *testing.T) {
	for in, want := range map[string]string{
		"+919876543210":  "+91 98••• ••210",
		"+12025550143":   "+1 20•-•••-•143",
		"+447911123456":  "+44 79•• •••456",
		"not a number 1": "not a number •",
		"+9112":          "+•• ••",
	} {
		if got := Masked(in); got != want {
			t.Errorf("Masked(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskText(t *testing.T) {
	in := "Hi, call +919876543210 or 919811122333; order 1234567 id 0193a5b2-1234-7abc sent 2024-01-02"
	got := MaskText(in)
	for _, whole := range []string{"9876543210", "919811122333"} {
		if strings.Contains(got, whole) {
			t.Fatalf("MaskText left %s whole: %q", whole, got)
		}
	}
	for _, kept := range []string{"+91 98••• ••210", "order 1234567", "0193a5b2-1234-7abc", "2024-01-02"} {
		if !strings.Contains(got, kept) {
			t.Fatalf("MaskText lost %q: %q", kept, got)
		}
	}
}
