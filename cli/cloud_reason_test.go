package cli

import (
	"context"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestDescribeOpenError(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		want     string
		needsFix bool
	}{
		{"wrong password", &pgconn.PgError{Code: "28P01", Message: "password authentication failed for user \"postgres\""}, "password authentication failed", true},
		{"no database", &pgconn.PgError{Code: "3D000"}, "does not exist", true},
		{"refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, "connection refused", false},
		{"dns", &net.DNSError{Err: "no such host", Name: "db.example.supabase.co", IsNotFound: true}, "host name could not be found", false},
		{"timeout", context.DeadlineExceeded, "timed out", false},
		{"other", fmt.Errorf("boom"), "details are in error.log", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reason, needsFix := describeOpenError(fmt.Errorf("store: unable to reach the postgres database: %w", tc.err))
			if !strings.Contains(reason, tc.want) || needsFix != tc.needsFix {
				t.Fatalf("describeOpenError = %q, %v; want %q, %v", reason, needsFix, tc.want, tc.needsFix)
			}
		})
	}
}

func TestDatabaseHostHidesCredentials(t *testing.T) {
	if got := databaseHost("postgresql://postgres.abc:s3cret@aws-0-ap-south-1.pooler.supabase.com:6543/postgres"); got != "aws-0-ap-south-1.pooler.supabase.com:6543" {
		t.Fatalf("databaseHost = %q", got)
	}
	if got := redactURL("auth failed for s3cret", "postgres://u:s3cret@h/db"); strings.Contains(got, "s3cret") {
		t.Fatalf("redactURL left the password: %q", got)
	}
}
