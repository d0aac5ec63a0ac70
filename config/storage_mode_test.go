package config_test

import (
	"strings"
	"testing"

	"github.com/sambad/sambad/config"
)

// TestStorageMode: local by default, hybrid when DATABASE_URL is set and the
// mode is not, cloud and hybrid only with a database URL.
func TestStorageMode(t *testing.T) {
	const url = "postgres://postgres:secret@db.example.supabase.co:5432/postgres?sslmode=require"
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string
	}{
		{"default", map[string]string{}, config.StorageLocal, ""},
		{"url sets hybrid", map[string]string{"DATABASE_URL": url}, config.StorageHybrid, ""},
		{"explicit local with url", map[string]string{"DATABASE_URL": url, "SAMBAD_STORAGE": "local"}, config.StorageLocal, ""},
		{"cloud", map[string]string{"DATABASE_URL": url, "SAMBAD_STORAGE": "cloud"}, config.StorageCloud, ""},
		{"cloud without url", map[string]string{"SAMBAD_STORAGE": "cloud"}, "", "DATABASE_URL"},
		{"hybrid without url", map[string]string{"SAMBAD_STORAGE": "hybrid"}, "", "DATABASE_URL"},
		{"unknown mode", map[string]string{"SAMBAD_STORAGE": "both"}, "", "must be local, cloud or hybrid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"SAMBAD_DATA_DIR": t.TempDir()}
			for k, v := range tc.env {
				env[k] = v
			}
			cfg, err := config.Load(nil, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v; want one mentioning %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Storage != tc.want {
				t.Fatalf("storage = %q, want %q", cfg.Storage, tc.want)
			}
		})
	}
}
