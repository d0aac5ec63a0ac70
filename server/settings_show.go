package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/settings"
)

// settingRow is one setting as the page shows it.
type settingRow struct {
	settings.Def
	Value   string // as stored (or as typed, when the form came back)
	Current string // what Sambad uses now
	Locked  string // the variable that fixes it
	Pending bool   // stored differs from what runs until the next start
	Error   string
}

// varLabelRow is one variable's name on the page.
type varLabelRow struct {
	N                 int
	Key, Value, Error string
}

// settingsView is what settings.html shows.
type settingsView struct {
	Rows      []settingRow
	Presets   []campaign.Preset
	VarLabels []varLabelRow
}

// settingsShow lists the settings with their values.
func (s *Server) settingsShow(c *gin.Context) {
	stored, err := s.store.Settings(c.Request.Context())
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.render(c, http.StatusOK, pageSettings, "settings", s.settingsView(stored, nil))
}

func (s *Server) settingsView(values map[string]string, errs map[string]string) settingsView {
	v := settingsView{Presets: campaign.Presets}
	for _, d := range settings.Defs {
		r := settingRow{Def: d, Value: values[d.Key], Locked: settings.Locked(s.cfg, d), Error: errs[d.Key]}
		switch d.Key {
		case settings.DefaultRegion:
			r.Current = s.cfg.DefaultRegion
		case settings.TimeZone:
			r.Current = s.cfg.TimeZone
		case settings.BackupKeep:
			r.Current = strconv.Itoa(s.cfg.BackupKeep)
		case settings.PacingPreset:
			r.Current = campaign.DefaultPreset
		}
		if d.AtStart && r.Locked == "" && r.Value != "" && r.Value != r.Current {
			r.Pending = true
		}
		v.Rows = append(v.Rows, r)
	}
	for n := 1; n <= models.VariableCount; n++ {
		k := settings.VarLabelKey(n)
		v.VarLabels = append(v.VarLabels, varLabelRow{N: n, Key: k, Value: values[k], Error: errs[k]})
	}
	return v
}
