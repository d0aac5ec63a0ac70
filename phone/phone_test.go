package phone

import (
	"errors"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		raw, region, want string
		wantErr           bool
	}{
		{"9876543210", "IN", "+919876543210", false},
		{"098765 43210", "IN", "+919876543210", false},
		{"+91 98765-43210", "US", "+919876543210", false},
		{"0091 9876543210", "GB", "+919876543210", false},
		{"(202) 555-0143", "US", "+12025550143", false},
		{"07911 123456", "GB", "+447911123456", false},
		{"12ab", "IN", "", true},
		{"", "IN", "", true},
		{"123", "IN", "", true},
		{"+999 1234567", "IN", "", true},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.raw, tt.region)
		if tt.wantErr {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Normalize(%q,%q) = %q, %v; want ErrInvalid", tt.raw, tt.region, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q,%q) = %q, %v; want %q", tt.raw, tt.region, got, err, tt.want)
		}
	}
}

func TestNormalizeErrorNamesInputAndRegion(t *testing.T) {
	_, err := Normalize("12ab", "IN")
	if err == nil || err.Error() != "invalid phone number: '12ab' is not a valid number for region IN" {
		t.Fatalf("unexpected error text: %v", err)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"9876543210", "+44 7911 123456", "00", "+", "١٢٣٤٥٦٧٨٩٠", "((((", "0091"} {
		f.Add(s, "IN")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := Normalize(raw, region)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		if got == "" || got[0] != '+' {
			t.Fatalf("Normalize(%q) = %q: not E.164", raw, got)
		}
		again, err := Normalize(got, "ZZ")
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q (%v)", got, again, err)
		}
	})
}
