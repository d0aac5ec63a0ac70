package settings

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		key, in, want, err string
	}{
		{DefaultRegion, " in ", "IN", ""},
		{DefaultRegion, "XQ", "", "not a region code"},
		{TimeZone, "Asia/Kolkata", "Asia/Kolkata", ""},
		{TimeZone, "Mars/Base", "", "not a time zone"},
		{PacingPreset, "long", "long", ""},
		{PacingPreset, "warp", "", "not a pacing preset"},
		{DailyCap, "0250", "250", ""},
		{DailyCap, "-1", "", "from 0 to 100000"},
		{BackupKeep, "366", "", "from 0 to 365"},
		{QuietStart, "9:05", "09:05", ""},
		{QuietEnd, "25:00", "", "not a time of day"},
		{DailyCap, "", "", ""},
		{"colour", "red", "", "is not a setting"},
	}
	for _, c := range cases {
		got, err := Normalize(c.key, c.in)
		var fe *FieldError
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%s=%q → %q, %v; want %q", c.key, c.in, got, err, c.want)
		case c.err != "" && (!errors.As(err, &fe) || !strings.Contains(fe.Message, c.err)):
			t.Errorf("%s=%q → %v; want an error saying %q", c.key, c.in, err, c.err)
		}
	}
}
