package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(map[string]string{"SAMBAD_DATA_DIR": dir}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Storage != StorageLocal || c.DefaultRegion != "IN" || !c.Headless || c.WhatsAppURL != "https://web.whatsapp.com" {
		t.Fatalf("defaults: %+v", c)
	}
	if c.SQLitePath() != filepath.Join(dir, "sambad.db") || c.ProfileDir() != filepath.Join(dir, "whatsapp-session") || !c.IsLoopback() {
		t.Fatalf("paths: %s %s", c.SQLitePath(), c.ProfileDir())
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"addr":     {map[string]string{"SAMBAD_ADDR": "8080"}, `SAMBAD_ADDR="8080": must be host:port`},
		"storage":  {map[string]string{"SAMBAD_STORAGE": "s3"}, `SAMBAD_STORAGE="s3": must be local, cloud or hybrid`},
		"cloud":    {map[string]string{"SAMBAD_STORAGE": "cloud"}, "DATABASE_URL: is required when SAMBAD_STORAGE=cloud"},
		"region":   {map[string]string{"SAMBAD_DEFAULT_REGION": "XX"}, `SAMBAD_DEFAULT_REGION="XX"`},
		"bool":     {map[string]string{"SAMBAD_HEADLESS": "maybe"}, `SAMBAD_HEADLESS="maybe": must be true or false`},
		"int":      {map[string]string{"SAMBAD_IMPORT_MAX_MB": "-3"}, `SAMBAD_IMPORT_MAX_MB="-3"`},
		"timezone": {map[string]string{"SAMBAD_TIMEZONE": "Mars/Olympus"}, "SAMBAD_TIMEZONE"},
		"url":      {map[string]string{"SAMBAD_WHATSAPP_URL": "ftp://x"}, "SAMBAD_WHATSAPP_URL"},
		"token":    {map[string]string{"SAMBAD_API_TOKEN": "tok"}, "SAMBAD_API_TOKEN: is too short (3 characters; at least 32), so it could be guessed: make a strong one with  openssl rand -hex 32"},
		"hosts":    {map[string]string{"SAMBAD_ALLOWED_HOSTS": "sambad.lan,https://x.example/"}, `SAMBAD_ALLOWED_HOSTS="https://x.example/": must be a comma-separated list of host names`},
	} {
		t.Run(name, func(t *testing.T) {
			tc.env["SAMBAD_DATA_DIR"] = t.TempDir()
			_, err := Load(nil, env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestSecretsNeverEchoed(t *testing.T) {
	_, err := Load(nil, env(map[string]string{"SAMBAD_DATA_DIR": t.TempDir(), "DATABASE_URL": "mysql://root:hunter2@db/x"}))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err = %v", err)
	}
	c, err := Load(nil, env(map[string]string{"SAMBAD_DATA_DIR": t.TempDir(), "SAMBAD_API_TOKEN": "tok-secret-0123456789abcdef0123456789", "SAMBAD_PASSWORD": "pw"}))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range c.Redacted() {
		if strings.Contains(v, "tok-secret") || v == "pw" {
			t.Fatalf("%s shows a secret: %q", k, v)
		}
	}
}

func TestPrecedenceFileSecretsAndDotEnv(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".env"), []byte("# comment\nSAMBAD_ADDR=127.0.0.1:9000\nexport SAMBAD_DEFAULT_REGION=\"gb\"\nSAMBAD_LOG_LEVEL=debug\n"), 0o600)
	secret := filepath.Join(dir, "token")
	os.WriteFile(secret, []byte("from-file-0123456789abcdef0123456789\n"), 0o600)
	c, err := Load(map[string]string{"SAMBAD_DATA_DIR": dir, "SAMBAD_ADDR": "127.0.0.1:7000"},
		env(map[string]string{"SAMBAD_LOG_LEVEL": "warn", "SAMBAD_API_TOKEN_FILE": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.DefaultRegion != "GB" || c.LogLevel != "warn" || c.APIToken != "from-file-0123456789abcdef0123456789" {
		t.Fatalf("flag > env > .env, *_FILE: %+v", c)
	}
	_, err = Load(map[string]string{"SAMBAD_DATA_DIR": dir}, env(map[string]string{"SAMBAD_API_TOKEN": "a", "SAMBAD_API_TOKEN_FILE": secret}))
	if err == nil || !strings.Contains(err.Error(), "not both") {
		t.Fatalf("both set: %v", err)
	}
	_, err = Load(map[string]string{"SAMBAD_DATA_DIR": dir}, env(map[string]string{"SAMBAD_PASSWORD_FILE": filepath.Join(dir, "nope")}))
	if err == nil || !strings.Contains(err.Error(), "SAMBAD_PASSWORD_FILE") {
		t.Fatalf("missing file: %v", err)
	}
	os.WriteFile(filepath.Join(dir, ".env"), []byte("no equals sign\n"), 0o600)
	if _, err := Load(map[string]string{"SAMBAD_DATA_DIR": dir}, env(nil)); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("bad .env: %v", err)
	}
}

func TestEnsureDataDirIs0700(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Sambad")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := EnsureDataDir(dir); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
}

func TestAllowedHosts(t *testing.T) {
	c, err := Load(nil, env(map[string]string{"SAMBAD_DATA_DIR": t.TempDir(), "SAMBAD_ALLOWED_HOSTS": " sambad.lan, proxy.example.com:443 ,[fd00::1]"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"sambad.lan", "proxy.example.com:443", "[fd00::1]"}; strings.Join(c.AllowedHosts, "|") != strings.Join(want, "|") {
		t.Fatalf("AllowedHosts = %q, want %q", c.AllowedHosts, want)
	}
	if c.Redacted()["SAMBAD_ALLOWED_HOSTS"] != "sambad.lan,proxy.example.com:443,[fd00::1]" {
		t.Fatalf("Redacted: %q", c.Redacted()["SAMBAD_ALLOWED_HOSTS"])
	}
}
