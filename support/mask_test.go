package support

import (
	"strings"
	"testing"
)

func TestMaskLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`sent {"phone":"+919876543210"}`, `sent {"phone":"+91987****210"}`},
		{`to 9876543210 and +14155550123.`, `to 98765****210 and +14155****123.`},
		{`id 0193b2c4-7d1e-7a4b-9c3d-123456789012 ok`, `id 0193b2c4-7d1e-7a4b-9c3d-123456789012 ok`},
		{`at [2024-01-15T10:30:01.245Z] took 1234ms`, `at [2024-01-15T10:30:01.245Z] took 1234ms`},
		{`dial postgres://app:s3cr3t@db:5432/x failed`, `dial postgres://app:****@db:5432/x failed`},
		{`{"password":"hunter22","user":"a"}`, `{"password":"****","user":"a"}`},
		{`SAMBAD_API_TOKEN=abc123 next`, `SAMBAD_API_TOKEN=**** next`},
		{`Authorization: Bearer abc.def.ghi`, `Authorization: Bearer ****`},
		{`cookie sambad_session=Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg`, `cookie sambad_session=****`},
		{`key AKIAIOSFODNN7EXAMPLE1234567890abcdefghijklmn end`, `key **** end`},
	} {
		if got := MaskLine(tc.in); got != tc.want {
			t.Errorf("MaskLine(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
	if got := MaskLine("+919876543210,+919876543211"); strings.Contains(got, "76543") {
		t.Errorf("adjacent numbers: %q", got)
	}
}
