package deploy

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	digest "github.com/opencontainers/go-digest"
)

// offlineImages answers BuildKit's base-image lookups without a registry:
// an empty linux/amd64 image config for every FROM.
type offlineImages struct{}

func (offlineImages) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg := []byte(`{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":[]}}`)
	return ref, digest.FromBytes(cfg), cfg, nil
}

// buildCheck runs every rule of `docker build --check` (BuildKit's
// DockerfileLint), offline, and returns the warnings and any build error.
func buildCheck(t *testing.T, src []byte) []string {
	t.Helper()
	sm := llb.NewSourceMap(nil, "Dockerfile", "", src)
	sm.Definition = &llb.Definition{} // no build context: nothing to describe
	res, err := dockerfile2llb.DockerfileLint(context.Background(), src, dockerfile2llb.ConvertOpt{
		MetaResolver: offlineImages{},
		SourceMap:    sm,
	})
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	var out []string
	for _, w := range res.Warnings {
		out = append(out, w.RuleName+": "+w.Detail)
	}
	if res.Error != nil {
		out = append(out, "build error: "+res.Error.Message)
	}
	return out
}

// parseDockerfile parses and lints a Dockerfile the way `docker build`
// does, returning its stages and every lint warning.
func parseDockerfile(t *testing.T, src []byte) ([]instructions.Stage, []string, error) {
	t.Helper()
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	for _, w := range res.Warnings {
		warnings = append(warnings, w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, desc, url, msg string, _ []parser.Range) {
		warnings = append(warnings, rule+": "+msg)
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	return stages, warnings, err
}

func TestDockerfile(t *testing.T) {
	src, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	stages, warnings, err := parseDockerfile(t, src)
	if err != nil {
		t.Fatalf("BuildKit cannot parse the Dockerfile: %v", err)
	}
	if len(warnings) > 0 {
		t.Errorf("lint warnings:\n%s", strings.Join(warnings, "\n"))
	}
	if w := buildCheck(t, src); len(w) > 0 {
		t.Errorf("docker build --check:\n%s", strings.Join(w, "\n"))
	}
	if len(stages) < 2 {
		t.Fatalf("%d stages; want a build stage and a runtime stage", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	if !strings.HasPrefix(build.BaseName, "golang:1.26") {
		t.Errorf("build stage FROM %s", build.BaseName)
	}
	if final.BaseName != "debian:bookworm-slim" {
		t.Errorf("runtime stage FROM %s, want debian:bookworm-slim", final.BaseName)
	}
	if !strings.Contains(runText(build), "CGO_ENABLED=1") {
		t.Error("the build stage does not build with cgo (the SQLite driver needs it)")
	}

	var (
		user, healthcheck []string
		entrypoint, cmd   []string
		volumes           []string
		env               = map[string]string{}
		copiedBinary      bool
	)
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			user = append(user, c.User)
		case *instructions.HealthCheckCommand:
			healthcheck = c.Health.Test
		case *instructions.EntrypointCommand:
			entrypoint = c.CmdLine
		case *instructions.CmdCommand:
			cmd = c.CmdLine
		case *instructions.VolumeCommand:
			volumes = append(volumes, c.Volumes...)
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				env[kv.Key] = kv.Value
			}
		case *instructions.CopyCommand:
			copiedBinary = copiedBinary || (c.From == "build" && slices.Contains(c.SourcePaths, "/out/sambad"))
		}
	}
	run := runText(final)
	for _, pkg := range []string{"chromium", "fonts-noto-color-emoji", "fonts-noto-cjk", "tini", "ca-certificates"} {
		if !strings.Contains(run, " "+pkg+" ") && !strings.HasSuffix(run, " "+pkg) {
			t.Errorf("runtime image does not install %s", pkg)
		}
	}
	if len(user) == 0 || user[len(user)-1] == "root" || strings.HasPrefix(user[len(user)-1], "0") {
		t.Errorf("runtime image runs as %v; want a non-root USER", user)
	}
	if len(entrypoint) < 2 || !strings.HasSuffix(entrypoint[0], "tini") || entrypoint[1] != "--" {
		t.Errorf("ENTRYPOINT %v; want tini as PID 1", entrypoint)
	}
	if !slices.Contains(entrypoint, "sambad") && !slices.Contains(cmd, "sambad") {
		t.Errorf("ENTRYPOINT %v CMD %v do not run sambad", entrypoint, cmd)
	}
	if len(healthcheck) < 2 || healthcheck[0] != "CMD" || !strings.Contains(strings.Join(healthcheck[1:], " "), "sambad healthcheck") {
		t.Errorf("HEALTHCHECK %v; want CMD sambad healthcheck", healthcheck)
	}
	if !slices.Contains(volumes, "/data") {
		t.Errorf("VOLUME %v; want /data", volumes)
	}
	for k, want := range map[string]string{"SAMBAD_DATA_DIR": "/data", "SAMBAD_ADDR": "0.0.0.0:8080", "SAMBAD_CHROME_PATH": "/usr/bin/chromium"} {
		if env[k] != want {
			t.Errorf("ENV %s=%q, want %q", k, env[k], want)
		}
	}
	for k := range env {
		if strings.Contains(k, "PASSWORD") || strings.Contains(k, "TOKEN") || k == "DATABASE_URL" {
			t.Errorf("a secret (%s) is baked into the image", k)
		}
	}
	if !copiedBinary {
		t.Error("the runtime stage does not copy /out/sambad from the build stage")
	}
}

// The linter is live: a Dockerfile with known mistakes is reported.
func TestDockerfileLinterCatchesMistakes(t *testing.T) {
	bad := "FROM debian:bookworm-slim as runtime\nENV SAMBAD_PASSWORD=hunter2\nENV X=$NOT_DEFINED_ANYWHERE\nCMD sambad serve\n"
	all := strings.Join(buildCheck(t, []byte(bad)), "\n")
	for _, rule := range []string{"FromAsCasing", "SecretsUsedInArgOrEnv", "JSONArgsRecommended", "UndefinedVar"} {
		if !strings.Contains(all, rule) {
			t.Errorf("linter missed %s; got:\n%s", rule, all)
		}
	}
	if _, _, err := parseDockerfile(t, []byte("FROM debian\nNOTANINSTRUCTION x\n")); err == nil {
		t.Error("an unknown instruction parsed")
	}
}

func runText(s instructions.Stage) string {
	var b strings.Builder
	for _, c := range s.Commands {
		if r, ok := c.(*instructions.RunCommand); ok {
			b.WriteString(strings.Join(r.CmdLine, " "))
			b.WriteString(" ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
