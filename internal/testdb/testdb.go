// Package testdb gives tests real databases: a SQLite file in a temp dir, a
// fresh Postgres database on the local server (dropped afterwards), and the
// same behind a pgbouncer in transaction mode, as Supabase's pooler runs.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for admin statements
	"gorm.io/gorm"

	"github.com/sambad/sambad/internal/proctest"
	"github.com/sambad/sambad/models"
)

// AdminURL is the Postgres server the tests use: $SAMBAD_TEST_PG or the local
// server with trust auth.
func AdminURL() string {
	if u := os.Getenv("SAMBAD_TEST_PG"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// opened remembers the database each store was opened on: a store never
// hands out its connection, but fixtures write and check rows no store
// method covers, and the sync worker is handed the database, as cli does.
var opened sync.Map // *models.Store → *models.DB

// Open opens a database and the store over it, as cli does, and remembers
// the database for DB. The caller closes the store.
func Open(ctx context.Context, o models.OpenOptions) (*models.Store, error) {
	db, err := models.OpenDB(ctx, o)
	if err != nil {
		return nil, err
	}
	s := models.NewStore(db)
	opened.Store(s, db)
	return s, nil
}

// Staging opens a restore's staging store at a schema version (see
// models.OpenStaging) and remembers its database for DB.
func Staging(ctx context.Context, path string, version int64) (*models.Store, error) {
	db, err := models.OpenStagingDB(ctx, path, version)
	if err != nil {
		return nil, err
	}
	s := models.NewStore(db)
	opened.Store(s, db)
	return s, nil
}

// DB returns the database a store from this package was opened on.
func DB(s *models.Store) *models.DB {
	db, ok := opened.Load(s)
	if !ok {
		panic("testdb: the store was not opened by testdb")
	}
	return db.(*models.DB)
}

// Gorm returns the database a store from this package was opened on, as
// GORM, for fixtures.
func Gorm(s *models.Store) *gorm.DB { return DB(s).Gorm() }

// SQLite opens a store on a new SQLite file.
func SQLite(t testing.TB) *models.Store {
	t.Helper()
	s, err := Open(context.Background(), models.OpenOptions{SQLitePath: filepath.Join(t.TempDir(), "sambad.db")})
	if err != nil {
		t.Fatalf("open sqlite store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresURL creates an empty database and returns its URL; it is dropped
// when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", AdminURL())
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("postgres is not reachable at %s (start it, or set SAMBAD_TEST_PG): %v", AdminURL(), err)
	}
	name := fmt.Sprintf("sambad_test_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", AdminURL())
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

// Postgres opens a store on a new Postgres database.
func Postgres(t testing.TB) *models.Store {
	t.Helper()
	s, err := Open(context.Background(), models.OpenOptions{DatabaseURL: PostgresURL(t)})
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PgBouncer opens a store through a pgbouncer in transaction mode in front of
// a new Postgres database, with pgx's exec query mode.
func PgBouncer(t testing.TB) *models.Store {
	t.Helper()
	u := PgBouncerURL(t, PostgresURL(t))
	s, err := Open(context.Background(), models.OpenOptions{DatabaseURL: u, PGExecMode: "exec"})
	if err != nil {
		t.Fatalf("open store through pgbouncer: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PgBouncerURL starts pgbouncer (transaction pooling) in front of the database
// at dbURL and returns the URL to reach it through the pooler.
func PgBouncerURL(t testing.TB, dbURL string) string {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		for _, p := range []string{"/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"} {
			if _, e := os.Stat(p); e == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		t.Fatalf("pgbouncer is not installed (apt-get install -y pgbouncer; the README's test command does it)")
	}
	target, _ := url.Parse(dbURL)
	dir, err := os.MkdirTemp("", "sambad-pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	proctest.Own(dir)
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	port := freePort(t)
	ini := fmt.Sprintf(`[databases]
* = host=%s port=%s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s/users.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,search_path
logfile = %s/pgbouncer.log
`, target.Hostname(), target.Port(), port, dir, dir)
	os.WriteFile(filepath.Join(dir, "users.txt"), []byte(`"postgres" ""`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pgbouncer.ini"), []byte(ini), 0o644)
	stop, err := startPgBouncer(bin, filepath.Join(dir, "pgbouncer.ini"))
	if err != nil {
		t.Fatalf("start pgbouncer: %v", err)
	}
	// Registered after the directory's removal, so it runs first.
	t.Cleanup(stop)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "pgbouncer.log"))
			t.Fatalf("pgbouncer did not start: %s", log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	pooled := *target
	pooled.Host = addr
	return pooled.String()
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Each runs fn once per real database kind: SQLite, Postgres, and Postgres
// through pgbouncer in transaction mode.
func Each(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	kinds := []struct {
		name string
		open func(testing.TB) *models.Store
	}{{"sqlite", SQLite}, {"postgres", Postgres}, {"pgbouncer", PgBouncer}}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) { fn(t, k.open(t)) })
	}
}
