package support

import (
	"runtime"
	"runtime/debug"
)

// Versions describes this build: Go, platform, module version and commit.
func Versions() map[string]string {
	v := map[string]string{"go": runtime.Version(), "platform": runtime.GOOS + "/" + runtime.GOARCH, "sambad": "(devel)"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v["sambad"] = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision", "vcs.time", "vcs.modified", "CGO_ENABLED":
				v[s.Key] = s.Value
			}
		}
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/go-rod/rod", "github.com/gin-gonic/gin", "gorm.io/gorm", "github.com/mattn/go-sqlite3", "github.com/jackc/pgx/v5":
				v[d.Path] = d.Version
			}
		}
	}
	return v
}
