package auth

import "testing"

func TestDeviceCookieIsTiedToThePassword(t *testing.T) {
	d := newDevice("hash-1")
	if !knownDevice("hash-1", d) {
		t.Fatal("a fresh device cookie is not known")
	}
	for _, v := range []string{"", "x", "x.y", d + "x", newDevice("hash-2")} {
		if knownDevice("hash-1", v) {
			t.Fatalf("%q is known", v)
		}
	}
	if knownDevice("hash-2", d) {
		t.Fatal("a device cookie survives a password change")
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":           "192.0.2.1",
		"2001:db8:1:2::1":     "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::": "2001:db8:1:2::/64",
		"::ffff:192.0.2.1":    "192.0.2.1",
		"not an ip":           "not an ip",
	} {
		if got := ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}
