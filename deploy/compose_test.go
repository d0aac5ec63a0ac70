package deploy

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// loadCompose loads a compose file as `docker compose config` does, with
// .env.example standing in for the user's .env.
func loadCompose(t *testing.T, dir string) (*types.Project, error) {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{filepath.Join(dir, "docker-compose.yml")},
		cli.WithWorkingDirectory(dir),
		cli.WithEnvFiles(filepath.Join(dir, ".env.example")),
		cli.WithDotEnv,
		cli.WithName("sambad"),
	)
	if err != nil {
		return nil, err
	}
	return opts.LoadProject(context.Background())
}

func TestComposeFile(t *testing.T) {
	p, err := loadCompose(t, "..")
	if err != nil {
		t.Fatalf("the compose loader rejects docker-compose.yml: %v", err)
	}
	app, err := p.GetService("sambad")
	if err != nil {
		t.Fatal(err)
	}
	db, err := p.GetService("postgres")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []types.ServiceConfig{app, db} {
		if s.Restart != "unless-stopped" && s.Restart != "always" {
			t.Errorf("%s: restart %q", s.Name, s.Restart)
		}
	}
	if app.Build == nil || app.Build.Dockerfile != "Dockerfile" {
		t.Errorf("sambad is not built from the Dockerfile: %+v", app.Build)
	}
	// Named volumes for both services' data.
	mounts := map[string]string{}
	for _, s := range []types.ServiceConfig{app, db} {
		for _, v := range s.Volumes {
			if v.Type != types.VolumeTypeVolume {
				t.Errorf("%s mounts %s as %s; want a named volume", s.Name, v.Target, v.Type)
			}
			mounts[v.Target] = v.Source
		}
	}
	if mounts["/data"] == "" || mounts["/var/lib/postgresql/data"] == "" {
		t.Errorf("volumes %v", mounts)
	}
	for _, v := range mounts {
		if _, ok := p.Volumes[v]; !ok {
			t.Errorf("volume %s is not declared", v)
		}
	}
	// Secrets arrive as files; no secret value sits in the environment.
	env := app.Environment
	for _, k := range []string{"SAMBAD_PASSWORD_FILE", "DATABASE_URL_FILE"} {
		v := env[k]
		if v == nil || !strings.HasPrefix(*v, "/run/secrets/") {
			t.Errorf("sambad %s = %v; want a /run/secrets/ path", k, v)
		}
	}
	if v := db.Environment["POSTGRES_PASSWORD_FILE"]; v == nil || !strings.HasPrefix(*v, "/run/secrets/") {
		t.Errorf("postgres POSTGRES_PASSWORD_FILE = %v", v)
	}
	for _, s := range []types.ServiceConfig{app, db} {
		for k := range s.Environment {
			if (strings.Contains(k, "PASSWORD") || strings.Contains(k, "TOKEN") || k == "DATABASE_URL") && !strings.HasSuffix(k, "_FILE") {
				t.Errorf("%s: secret %s set in plain environment", s.Name, k)
			}
		}
	}
	var secrets []string
	for _, s := range app.Secrets {
		secrets = append(secrets, s.Source)
	}
	if !slices.Contains(secrets, "sambad_password") || !slices.Contains(secrets, "database_url") {
		t.Errorf("sambad secrets %v", secrets)
	}
	if env["SAMBAD_STORAGE"] == nil || *env["SAMBAD_STORAGE"] != "cloud" {
		t.Errorf("SAMBAD_STORAGE = %v; the compose file runs against its postgres", env["SAMBAD_STORAGE"])
	}
	// Sambad waits for a healthy database.
	if dep, ok := app.DependsOn["postgres"]; !ok || dep.Condition != types.ServiceConditionHealthy {
		t.Errorf("depends_on %+v", app.DependsOn)
	}
	if db.HealthCheck == nil || len(db.HealthCheck.Test) == 0 {
		t.Error("postgres has no healthcheck")
	}
	// Published on loopback by default (from .env.example).
	if len(app.Ports) != 1 || app.Ports[0].HostIP != "127.0.0.1" || app.Ports[0].Target != 8080 {
		t.Errorf("ports %+v", app.Ports)
	}
	if app.ShmSize < 256<<20 {
		t.Errorf("shm_size %d: Chromium needs more than Docker's 64 MB", app.ShmSize)
	}
	if app.StopGracePeriod == nil {
		t.Error("no stop_grace_period: Docker would SIGKILL before Sambad's ordered shutdown ends")
	}
}

// The loader really validates: a misspelt key is an error.
func TestComposeLoaderRejectsBadKeys(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	env, _ := os.ReadFile("../.env.example")
	os.WriteFile(filepath.Join(dir, ".env.example"), env, 0o600)
	bad := strings.Replace(string(src), "    restart: unless-stopped\n", "    restrat: unless-stopped\n", 1)
	os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(bad), 0o600)
	if _, err := loadCompose(t, dir); err == nil || !strings.Contains(err.Error(), "restrat") {
		t.Fatalf("misspelt key accepted: %v", err)
	}
}
