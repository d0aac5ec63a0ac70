package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/doctor"
	"github.com/sambad/sambad/launcher"
)

// resolveBrowser finds the browser for doctor and bundle-chrome with the
// launcher's own order (SAMBAD_CHROME_PATH, bundled, system), never
// downloading: doctor reports, it does not install.
func resolveBrowser(cfg *config.Config) (doctor.Resolution, error) {
	r, err := launcher.Resolve(launcher.Options{DataDir: cfg.DataDir, ChromePath: cfg.ChromePath})
	res := doctor.Resolution{Path: r.Path, Source: r.Source}
	for _, a := range r.Tried {
		res.Tried = append(res.Tried, doctor.Attempt{Source: a.Source, Path: a.Path, Reason: a.Reason})
	}
	if err != nil && !errors.Is(err, launcher.ErrNoBrowser) {
		return res, err
	}
	if err != nil {
		return res, errors.New("no Chromium-family browser found")
	}
	return res, nil
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
