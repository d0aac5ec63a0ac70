package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	rodlauncher "github.com/go-rod/rod/lib/launcher"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/doctor"
)

// resolveBrowser finds the browser for doctor and bundle-chrome.
//
// Interim until package launcher is on main: then this becomes a call to
// launcher.Resolve(launcher.Options{DataDir: cfg.DataDir, ChromePath:
// cfg.ChromePath}) with its Resolution copied into doctor.Resolution (and
// never AllowDownload: doctor must not download). Until then it follows the
// same first and last steps: SAMBAD_CHROME_PATH, then the system browser.
func resolveBrowser(cfg *config.Config) (doctor.Resolution, error) {
	var res doctor.Resolution
	if cfg.ChromePath != "" {
		if err := checkExecutable(cfg.ChromePath); err != nil {
			res.Tried = append(res.Tried, doctor.Attempt{Source: doctor.SourceExplicit, Path: cfg.ChromePath, Reason: err.Error()})
		} else {
			res.Path, res.Source = cfg.ChromePath, doctor.SourceExplicit
			return res, nil
		}
	}
	if p, ok := rodlauncher.LookPath(); ok {
		res.Path, res.Source = p, "system"
		return res, nil
	}
	res.Tried = append(res.Tried, doctor.Attempt{Source: "system", Path: "PATH and the usual install folders", Reason: "none found"})
	return res, errors.New("no Chromium-family browser found")
}

// checkExecutable says why path cannot be run as a browser, or nil.
func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("does not exist")
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return errors.New("is a directory, not an executable")
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("is not executable (chmod +x %s)", path)
	}
	return nil
}
