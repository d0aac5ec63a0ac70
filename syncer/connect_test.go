package syncer_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestSupabaseURLForms: the connection strings Supabase hands out get the
// pgx settings they need: the transaction pooler (6543) exec mode, the
// session pooler and direct host (5432) not; sslmode is kept.
func TestSupabaseURLForms(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		exec      bool
	}{
		{"direct", "postgresql://postgres:pw@db.abcdefghijklmnop.supabase.co:5432/postgres?sslmode=require", false},
		{"session pooler", "postgres://postgres.abcdefghijklmnop:pw@aws-0-ap-south-1.pooler.supabase.com:5432/postgres?sslmode=require", false},
		{"transaction pooler", "postgres://postgres.abcdefghijklmnop:pw@aws-0-ap-south-1.pooler.supabase.com:6543/postgres?sslmode=verify-full&sslrootcert=/etc/sambad/prod-ca-2021.crt", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn, err := models.PostgresDSN(tc.url, "")
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(dsn)
			want, _ := url.Parse(tc.url)
			if got := u.Query().Get("default_query_exec_mode") == "exec"; got != tc.exec {
				t.Fatalf("exec mode = %v in %s", got, dsn)
			}
			if u.Query().Get("sslmode") != want.Query().Get("sslmode") {
				t.Fatalf("sslmode lost: %s", dsn)
			}
		})
	}
}

// TestTLSConnectionForms: sync works with sslmode=require and with
// verify-full against a trusted root; a certificate that does not verify is
// an error a person must fix (logged as such), not "offline".
func TestTLSConnectionForms(t *testing.T) {
	ctx := context.Background()
	dbURL, cloud := migratedCloud(t)
	var ssl bool
	var on string
	testdb.Gorm(cloud).Raw(`SHOW ssl`).Scan(&on)
	if on != "on" {
		t.Skip("the test Postgres has ssl off")
	}
	withMode := func(host, mode, root string) string {
		u, _ := url.Parse(dbURL)
		if host != "" {
			u.Host = host
		}
		q := u.Query()
		q.Set("sslmode", mode)
		if root != "" {
			q.Set("sslrootcert", root)
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	t.Run("require", func(t *testing.T) {
		s := testdb.SQLite(t)
		addContact(t, s, "9876500001", "Asha")
		w := newWorker(s, withMode("", "require", ""))
		round(t, w)
		testdb.Gorm(cloud).Raw(`SELECT bool_or(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()`).Scan(&ssl)
		if !ssl {
			t.Fatal("the worker's connection is not encrypted")
		}
	})
	const snakeoil = "/etc/ssl/certs/ssl-cert-snakeoil.pem"
	t.Run("verify-full", func(t *testing.T) {
		if _, err := os.Stat(snakeoil); err != nil {
			t.Skip("no snakeoil certificate to trust")
		}
		u, _ := url.Parse(dbURL)
		s := testdb.SQLite(t)
		addContact(t, s, "9876500002", "Bela")
		round(t, newWorker(s, withMode("localhost:"+u.Port(), "verify-full", snakeoil)))
	})
	t.Run("verify-full fails", func(t *testing.T) {
		var buf bytes.Buffer
		logrus.SetOutput(&buf)
		defer logrus.SetOutput(os.Stderr)
		s := testdb.SQLite(t)
		w := newWorker(s, withMode("127.0.0.1:"+mustPort(dbURL), "verify-full", snakeoilOr(snakeoil)))
		for i := 0; i < 3; i++ {
			if err := w.Round(ctx); err == nil {
				t.Fatal("a certificate for localhost verified for 127.0.0.1")
			}
		}
		st, _ := w.Status(ctx)
		if st.State != "error" || !strings.Contains(st.LastError, "certificate") {
			t.Fatalf("state %q, error %q; want an error naming the certificate", st.State, st.LastError)
		}
		if n := strings.Count(buf.String(), "level=error"); n != 1 {
			t.Fatalf("%d error lines for 3 failed attempts:\n%s", n, buf.String())
		}
	})
}

func mustPort(raw string) string { u, _ := url.Parse(raw); return u.Port() }

func snakeoilOr(p string) string {
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}
