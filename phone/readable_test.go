package phone

import "testing"

func TestReadable(t *testing.T) {
	for in, want := range map[string]string{
		"+919811122333": "+91 98111 22333",
		"+14155552671":  "+1 415-555-2671",
		"+447911123456": "+44 7911 123456",
		"12ab":          "12ab",
		"":              "",
	} {
		if got := Readable(in); got != want {
			t.Errorf("Readable(%q) = %q, want %q", in, got, want)
		}
	}
}
