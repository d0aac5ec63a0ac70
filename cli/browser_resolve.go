package cli

import (
	"errors"

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
