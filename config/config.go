// Package config holds Sambad's typed configuration, read in one place from
// flags, the environment, `*_FILE` secret files and an optional `.env` file in
// the data directory (in that order of precedence).
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Storage modes.
const (
	StorageLocal  = "local"
	StorageCloud  = "cloud"
	StorageHybrid = "hybrid"
)

// Config is the whole of Sambad's configuration. Every field maps to one
// variable documented in the README.
type Config struct {
	DataDir         string        // SAMBAD_DATA_DIR
	Addr            string        // SAMBAD_ADDR
	Storage         string        // SAMBAD_STORAGE
	DatabaseURL     string        // DATABASE_URL (secret)
	PGExecMode      string        // SAMBAD_PG_EXEC_MODE
	DefaultRegion   string        // SAMBAD_DEFAULT_REGION
	APIToken        string        // SAMBAD_API_TOKEN (secret)
	Password        string        // SAMBAD_PASSWORD (secret)
	WhatsAppURL     string        // SAMBAD_WHATSAPP_URL
	ChromePath      string        // SAMBAD_CHROME_PATH
	ChromeDownload  bool          // SAMBAD_CHROME_DOWNLOAD
	BrowserMemoryMB int           // SAMBAD_BROWSER_MEMORY_MB
	MaxAccounts     int           // SAMBAD_MAX_ACCOUNTS
	AccountIdle     time.Duration // SAMBAD_ACCOUNT_IDLE
	Headless        bool          // SAMBAD_HEADLESS
	TimeZone        string        // SAMBAD_TIMEZONE
	LogLevel        string        // SAMBAD_LOG_LEVEL
	LogMaxSizeMB    int           // SAMBAD_LOG_MAX_SIZE_MB
	LogMaxBackups   int           // SAMBAD_LOG_MAX_BACKUPS
	ImportMaxMB     int           // SAMBAD_IMPORT_MAX_MB
	MediaMaxMB      int           // SAMBAD_MEDIA_MAX_MB
	ShutdownGrace   time.Duration // SAMBAD_SHUTDOWN_GRACE
	NoBrowser       bool          // SAMBAD_NO_BROWSER
	TrustedProxies  []string      // SAMBAD_TRUSTED_PROXIES
	BackupKeep      int           // SAMBAD_BACKUP_KEEP (0: no scheduled backups)
	AllowedHosts    []string      // SAMBAD_ALLOWED_HOSTS
	// Webhooks: SAMBAD_WEBHOOK_ALLOW_PRIVATE lets endpoints be on loopback and
	// private networks; SAMBAD_WEBHOOK_MAX_FAILURES switches an endpoint off.
	WebhookAllowPrivate bool
	WebhookMaxFailures  int

	// explicit holds the variables given a value by a flag, the environment
	// or .env: the Settings page shows those locked.
	explicit map[string]bool
}

// Explicit reports whether the variable was given a value (flag,
// environment or .env) rather than left at its default.
func (c *Config) Explicit(name string) bool { return c.explicit[name] }

// MinAPITokenLen is the shortest SAMBAD_API_TOKEN accepted (`openssl rand
// -hex 32` makes 64 characters).
const MinAPITokenLen = 32

// Secrets lists the variables whose values are never logged or shown.
var Secrets = []string{"DATABASE_URL", "SAMBAD_API_TOKEN", "SAMBAD_PASSWORD"}

// Error reports one invalid setting, naming the variable so a person can fix it.
type Error struct {
	Var    string
	Value  string
	Reason string
}

func (e *Error) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("config: %s: %s", e.Var, e.Reason)
	}
	return fmt.Sprintf("config: %s=%q: %s", e.Var, e.Value, e.Reason)
}

// DefaultDataDir returns os.UserConfigDir()/Sambad.
func DefaultDataDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config: unable to find the user config directory (set SAMBAD_DATA_DIR): %w", err)
	}
	return filepath.Join(dir, "Sambad"), nil
}

// Load builds the configuration. flags holds values given on the command line
// (keyed by variable name); lookup reads the environment (os.LookupEnv in
// production, a map in tests).
func Load(flags map[string]string, lookup func(string) (string, bool)) (*Config, error) {
	src := &source{flags: flags, lookup: lookup}
	dataDir := src.get("SAMBAD_DATA_DIR")
	if dataDir == "" {
		d, err := DefaultDataDir()
		if err != nil {
			return nil, err
		}
		dataDir = d
	}
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, &Error{Var: "SAMBAD_DATA_DIR", Value: dataDir, Reason: err.Error()}
	}
	dotenv, err := readDotEnv(filepath.Join(dataDir, ".env"))
	if err != nil {
		return nil, err
	}
	src.dotenv = dotenv

	c := &Config{DataDir: dataDir, explicit: map[string]bool{}}
	var errs []error
	str := func(name, def string) string {
		v, err := src.secretOrValue(name)
		if err != nil {
			errs = append(errs, err)
		}
		if v != "" {
			c.explicit[name] = true
		}
		if v == "" {
			return def
		}
		return v
	}
	c.Addr = str("SAMBAD_ADDR", "127.0.0.1:8080")
	c.DatabaseURL = str("DATABASE_URL", "")
	c.Storage = str("SAMBAD_STORAGE", "")
	c.PGExecMode = str("SAMBAD_PG_EXEC_MODE", "")
	c.DefaultRegion = strings.ToUpper(str("SAMBAD_DEFAULT_REGION", "IN"))
	c.APIToken = str("SAMBAD_API_TOKEN", "")
	c.Password = str("SAMBAD_PASSWORD", "")
	c.WhatsAppURL = strings.TrimRight(str("SAMBAD_WHATSAPP_URL", "https://web.whatsapp.com"), "/")
	c.ChromePath = str("SAMBAD_CHROME_PATH", "")
	c.TimeZone = str("SAMBAD_TIMEZONE", "Local")
	c.LogLevel = strings.ToLower(str("SAMBAD_LOG_LEVEL", "info"))
	c.TrustedProxies = splitList(str("SAMBAD_TRUSTED_PROXIES", "127.0.0.1,::1"))
	c.AllowedHosts = splitList(str("SAMBAD_ALLOWED_HOSTS", ""))

	boolean := func(name string, def bool) bool {
		v := str(name, "")
		if v == "" {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, &Error{Var: name, Value: v, Reason: "must be true or false"})
		}
		return b
	}
	c.ChromeDownload = boolean("SAMBAD_CHROME_DOWNLOAD", false)
	c.Headless = boolean("SAMBAD_HEADLESS", true)
	c.NoBrowser = boolean("SAMBAD_NO_BROWSER", false)

	integer := func(name string, def, min, max int) int {
		v := str(name, "")
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			errs = append(errs, &Error{Var: name, Value: v, Reason: fmt.Sprintf("must be a whole number from %d to %d", min, max)})
			return def
		}
		return n
	}
	c.BrowserMemoryMB = integer("SAMBAD_BROWSER_MEMORY_MB", 1024, 0, 1<<20)
	c.MaxAccounts = integer("SAMBAD_MAX_ACCOUNTS", 5, 1, 50)
	c.LogMaxSizeMB = integer("SAMBAD_LOG_MAX_SIZE_MB", 10, 1, 1024)
	c.LogMaxBackups = integer("SAMBAD_LOG_MAX_BACKUPS", 5, 0, 100)
	c.ImportMaxMB = integer("SAMBAD_IMPORT_MAX_MB", 32, 1, 1024)
	c.MediaMaxMB = integer("SAMBAD_MEDIA_MAX_MB", 100, 1, 2048)
	c.BackupKeep = integer("SAMBAD_BACKUP_KEEP", 7, 0, 365)
	c.WebhookAllowPrivate = boolean("SAMBAD_WEBHOOK_ALLOW_PRIVATE", false)
	c.WebhookMaxFailures = integer("SAMBAD_WEBHOOK_MAX_FAILURES", 50, 1, 100000)

	idle := str("SAMBAD_ACCOUNT_IDLE", "10m")
	if d, err := time.ParseDuration(idle); err != nil || d < time.Second {
		errs = append(errs, &Error{Var: "SAMBAD_ACCOUNT_IDLE", Value: idle, Reason: "must be a duration of at least 1s, such as 10m"})
	} else {
		c.AccountIdle = d
	}

	grace := str("SAMBAD_SHUTDOWN_GRACE", "15s")
	if d, err := time.ParseDuration(grace); err != nil || d <= 0 {
		errs = append(errs, &Error{Var: "SAMBAD_SHUTDOWN_GRACE", Value: grace, Reason: "must be a positive duration such as 15s"})
	} else {
		c.ShutdownGrace = d
	}

	errs = append(errs, c.validate()...)
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	return c, nil
}

func (c *Config) validate() []error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, &Error{Var: "SAMBAD_ADDR", Value: c.Addr, Reason: "must be host:port, such as 127.0.0.1:8080"})
	}
	if c.Storage == "" {
		c.Storage = StorageLocal
		if c.DatabaseURL != "" {
			c.Storage = StorageHybrid
		}
	}
	switch c.Storage {
	case StorageLocal:
	case StorageCloud, StorageHybrid:
		if c.DatabaseURL == "" {
			errs = append(errs, &Error{Var: "DATABASE_URL", Reason: fmt.Sprintf("is required when SAMBAD_STORAGE=%s", c.Storage)})
		}
	default:
		errs = append(errs, &Error{Var: "SAMBAD_STORAGE", Value: c.Storage, Reason: "must be local, cloud or hybrid"})
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			// The value is a secret: never echo it.
			errs = append(errs, &Error{Var: "DATABASE_URL", Reason: "must be a postgres:// or postgresql:// URL"})
		}
	}
	switch c.PGExecMode {
	case "", "cache_statement", "cache_describe", "describe_exec", "exec", "simple_protocol":
	default:
		errs = append(errs, &Error{Var: "SAMBAD_PG_EXEC_MODE", Value: c.PGExecMode, Reason: "must be one of cache_statement, cache_describe, describe_exec, exec, simple_protocol"})
	}
	if !validRegion(c.DefaultRegion) {
		errs = append(errs, &Error{Var: "SAMBAD_DEFAULT_REGION", Value: c.DefaultRegion, Reason: "must be a two-letter region code such as IN, US or GB"})
	}
	if u, err := url.Parse(c.WhatsAppURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, &Error{Var: "SAMBAD_WHATSAPP_URL", Value: c.WhatsAppURL, Reason: "must be an http(s) URL"})
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		errs = append(errs, &Error{Var: "SAMBAD_TIMEZONE", Value: c.TimeZone, Reason: "unknown time zone; use an IANA name such as Asia/Kolkata"})
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "warning", "error":
	default:
		errs = append(errs, &Error{Var: "SAMBAD_LOG_LEVEL", Value: c.LogLevel, Reason: "must be debug, info, warn or error"})
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, &Error{Var: "SAMBAD_TRUSTED_PROXIES", Value: p, Reason: "must be a comma-separated list of IP addresses or CIDR ranges"})
			}
		}
	}
	if n := len(c.APIToken); n > 0 && n < MinAPITokenLen {
		// The value is a secret: never echo it.
		errs = append(errs, &Error{Var: "SAMBAD_API_TOKEN", Reason: fmt.Sprintf("is too short (%d characters; at least %d), so it could be guessed: make a strong one with  openssl rand -hex 32", n, MinAPITokenLen)})
	}
	for _, h := range c.AllowedHosts {
		if !validHostName(h) {
			errs = append(errs, &Error{Var: "SAMBAD_ALLOWED_HOSTS", Value: h, Reason: "must be a comma-separated list of host names such as sambad.example.com (no scheme, no path)"})
		}
	}
	return errs
}

// validHostName accepts a host name or IP address, with or without a port.
func validHostName(h string) bool {
	if host, port, err := net.SplitHostPort(h); err == nil {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return false
		}
		h = host
	}
	if h == "" || net.ParseIP(strings.Trim(h, "[]")) != nil {
		return h != ""
	}
	for _, r := range h {
		if !(r == '-' || r == '.' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

// splitList splits a comma-separated value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func validRegion(r string) bool {
	if len(r) != 2 {
		return false
	}
	return phonenumbers.GetCountryCodeForRegion(r) != 0
}

// Location returns the configured time zone.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.Local
	}
	return loc
}

// IsLoopback reports whether Addr only listens on the loopback interface.
func (c *Config) IsLoopback() bool {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ProfileDir is the persistent WhatsApp Web session profile (0700, never synced).
func (c *Config) ProfileDir() string { return filepath.Join(c.DataDir, "whatsapp-session") }

// SQLitePath is the local database file.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "sambad.db") }

// BackupDir is where scheduled backups, and the copy a restore makes of the
// data it replaces, are kept.
func (c *Config) BackupDir() string { return filepath.Join(c.DataDir, "backups") }

// MediaDir is where the media library keeps its files.
func (c *Config) MediaDir() string { return filepath.Join(c.DataDir, "media") }

// LogPath is the error log.
func (c *Config) LogPath() string { return filepath.Join(c.DataDir, "error.log") }

// Redacted returns the settings as name → value with secrets masked, for
// support bundles and `doctor`.
func (c *Config) Redacted() map[string]string {
	mask := func(v string) string {
		if v == "" {
			return ""
		}
		return "(set)"
	}
	return map[string]string{
		"SAMBAD_DATA_DIR":          c.DataDir,
		"SAMBAD_ADDR":              c.Addr,
		"SAMBAD_STORAGE":           c.Storage,
		"DATABASE_URL":             mask(c.DatabaseURL),
		"SAMBAD_PG_EXEC_MODE":      c.PGExecMode,
		"SAMBAD_DEFAULT_REGION":    c.DefaultRegion,
		"SAMBAD_API_TOKEN":         mask(c.APIToken),
		"SAMBAD_PASSWORD":          mask(c.Password),
		"SAMBAD_WHATSAPP_URL":      c.WhatsAppURL,
		"SAMBAD_CHROME_PATH":       c.ChromePath,
		"SAMBAD_CHROME_DOWNLOAD":   strconv.FormatBool(c.ChromeDownload),
		"SAMBAD_BROWSER_MEMORY_MB": strconv.Itoa(c.BrowserMemoryMB),
		"SAMBAD_MAX_ACCOUNTS":      strconv.Itoa(c.MaxAccounts),
		"SAMBAD_ACCOUNT_IDLE":      c.AccountIdle.String(),
		"SAMBAD_HEADLESS":          strconv.FormatBool(c.Headless),
		"SAMBAD_TIMEZONE":          c.TimeZone,
		"SAMBAD_LOG_LEVEL":         c.LogLevel,
		"SAMBAD_LOG_MAX_SIZE_MB":   strconv.Itoa(c.LogMaxSizeMB),
		"SAMBAD_LOG_MAX_BACKUPS":   strconv.Itoa(c.LogMaxBackups),
		"SAMBAD_IMPORT_MAX_MB":     strconv.Itoa(c.ImportMaxMB),
		"SAMBAD_SHUTDOWN_GRACE":    c.ShutdownGrace.String(),
		"SAMBAD_NO_BROWSER":        strconv.FormatBool(c.NoBrowser),
		"SAMBAD_TRUSTED_PROXIES":   strings.Join(c.TrustedProxies, ","),
		"SAMBAD_BACKUP_KEEP":       strconv.Itoa(c.BackupKeep),
		"SAMBAD_ALLOWED_HOSTS":     strings.Join(c.AllowedHosts, ","),
	}
}

// EnsureDataDir creates the data directory with mode 0700 and tightens an
// existing one that is more open.
func EnsureDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("config: unable to create data directory %s: %w", dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("config: unable to read data directory %s: %w", dir, err)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("config: unable to restrict data directory %s to 0700: %w", dir, err)
		}
	}
	return nil
}
