package doctor

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" database/sql driver
	_ "github.com/mattn/go-sqlite3"    // "sqlite3" database/sql driver

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
)

// Free-space thresholds for the data directory.
const (
	minFreeMB  = 100
	warnFreeMB = 1024
)

func checkDataDir(cfg *config.Config) Check {
	c := Check{Name: "data directory"}
	if err := config.EnsureDataDir(cfg.DataDir); err != nil {
		c.Status, c.Detail = Fail, err.Error()
		return c
	}
	f, err := os.CreateTemp(cfg.DataDir, ".doctor-*")
	if err == nil {
		_, err = f.Write([]byte("ok"))
		f.Close()
		os.Remove(f.Name())
	}
	if err != nil {
		c.Status, c.Detail = Fail, fmt.Sprintf("%s is not writable: %v", cfg.DataDir, err)
		c.Fix = "give the user running Sambad write access, or set SAMBAD_DATA_DIR"
		return c
	}
	free, err := freeBytes(cfg.DataDir)
	if err != nil {
		c.Status, c.Detail = Warn, fmt.Sprintf("%s is writable; free space unknown: %v", cfg.DataDir, err)
		return c
	}
	mb := free >> 20
	c.Status, c.Detail = OK, fmt.Sprintf("%s is writable, %d MB free", cfg.DataDir, mb)
	switch {
	case mb < minFreeMB:
		c.Status, c.Fix = Fail, "free some disk space: the database, the WhatsApp profile and the log need room"
	case mb < warnFreeMB:
		c.Status = Warn
	}
	return c
}

// checkDatabase reaches the database(s) the storage mode uses, without
// migrating or writing anything.
func checkDatabase(ctx context.Context, cfg *config.Config) []Check {
	var out []Check
	if cfg.Storage == config.StorageLocal || cfg.Storage == config.StorageHybrid {
		out = append(out, checkSQLite(ctx, cfg))
	}
	if cfg.Storage == config.StorageCloud || cfg.Storage == config.StorageHybrid {
		out = append(out, checkPostgres(ctx, cfg))
	}
	return out
}

func checkSQLite(ctx context.Context, cfg *config.Config) Check {
	c := Check{Name: "database"}
	path := cfg.SQLitePath()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		c.Status, c.Detail = OK, fmt.Sprintf("SQLite %s does not exist yet; Sambad creates it on first start", path)
		return c
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		c.Status, c.Detail = Fail, err.Error()
		return c
	}
	defer db.Close()
	return queryVersion(ctx, db, c, "SQLite "+path)
}

func checkPostgres(ctx context.Context, cfg *config.Config) Check {
	c := Check{Name: "database"}
	dsn, err := models.PostgresDSN(cfg.DatabaseURL, cfg.PGExecMode)
	if err != nil {
		c.Status, c.Detail = Fail, err.Error()
		return c
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		c.Status, c.Detail = Fail, "DATABASE_URL: "+err.Error()
		return c
	}
	defer db.Close()
	c = queryVersion(ctx, db, c, "Postgres (DATABASE_URL)")
	if c.Status == Fail {
		c.Fix = "check DATABASE_URL (host, port, password, sslmode) and that the server accepts connections from here"
	}
	return c
}

// queryVersion pings db and reads the migration version.
func queryVersion(ctx context.Context, db *sql.DB, c Check, what string) Check {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		c.Status, c.Detail = Fail, fmt.Sprintf("%s is not reachable: %s", what, redactURL(err.Error()))
		return c
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&v); err != nil {
		c.Status, c.Detail = OK, what+" is reachable (not migrated yet)"
		return c
	}
	c.Status, c.Detail = OK, fmt.Sprintf("%s is reachable, schema version %d", what, v.Int64)
	return c
}

// redactURL hides a password in a postgres:// URL that a driver error echoes.
func redactURL(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	at := strings.Index(rest, "@")
	colon := strings.Index(rest, ":")
	if at < 0 || colon < 0 || colon > at {
		return s
	}
	return s[:i+3] + rest[:colon+1] + "****" + rest[at:]
}

// checkSelectors validates <data dir>/selectors.json when present: a JSON
// object mapping each key to a list of CSS selectors.
func checkSelectors(cfg *config.Config) Check {
	c := Check{Name: "selectors"}
	path := filepath.Join(cfg.DataDir, "selectors.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		c.Status, c.Detail = OK, "no selectors.json override; the built-in selectors are used"
		return c
	}
	if err != nil {
		c.Status, c.Detail = Fail, err.Error()
		return c
	}
	if err := ValidateSelectors(b); err != nil {
		c.Status, c.Detail = Fail, fmt.Sprintf("%s: %v", path, err)
		c.Fix = `fix or delete the file; it must look like {"key": ["selector", ...]}`
		return c
	}
	c.Status, c.Detail = OK, path+" is valid"
	return c
}

// ValidateSelectors checks the shape {"key": ["selector", ...]}.
func ValidateSelectors(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	for k, raw := range m {
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			return fmt.Errorf("key %q: must be a list of selector strings", k)
		}
		if len(list) == 0 {
			return fmt.Errorf("key %q: the list is empty", k)
		}
		for i, s := range list {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("key %q: selector %d is empty", k, i+1)
			}
		}
	}
	return nil
}

func checkErrorLog(cfg *config.Config) Check {
	c := Check{Name: "error log"}
	f, err := os.OpenFile(cfg.LogPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		c.Status, c.Detail = Fail, fmt.Sprintf("%s is not writable: %v", cfg.LogPath(), err)
		return c
	}
	f.Close()
	c.Status, c.Detail = OK, fmt.Sprintf("%s is writable (rotated at %d MB, %d kept)", cfg.LogPath(), cfg.LogMaxSizeMB, cfg.LogMaxBackups)
	return c
}
