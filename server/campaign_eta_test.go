package server

import (
	"testing"
	"time"
)

// TestRoughDuration: the time left reads as an estimate, not to the second.
func TestRoughDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "—"}, {4 * time.Second, "a few seconds"}, {83 * time.Second, "80 s"}, {117 * time.Second, "2 min"},
		{(20 * time.Minute) + 29*time.Second, "20 min"}, {3*time.Hour + 17*time.Minute, "3 h 20 min"}, {5 * time.Hour, "5 h"}, {80 * time.Hour, "3 days"},
	} {
		if got := roughDuration(tc.d); got != tc.want {
			t.Errorf("roughDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
