package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/settings"
)

// settingsSave checks every value, then stores them together; a value set
// by a variable is not changed here. A bad value comes back with the form
// as typed and its message, and nothing is saved.
func (s *Server) settingsSave(c *gin.Context) {
	typed := map[string]string{}
	values := map[string]string{}
	errs := map[string]string{}
	for _, d := range settings.Defs {
		if settings.Locked(s.cfg, d) != "" {
			continue
		}
		raw := c.PostForm(d.Key)
		typed[d.Key] = raw
		v, err := settings.Normalize(d.Key, raw)
		var fe *settings.FieldError
		if errors.As(err, &fe) {
			errs[d.Key] = fe.Message
			continue
		}
		values[d.Key] = v
	}
	if (values[settings.QuietStart] == "") != (values[settings.QuietEnd] == "") && errs[settings.QuietEnd] == "" && errs[settings.QuietStart] == "" {
		errs[settings.QuietEnd] = "give both ends of the quiet hours, or neither"
	}
	if len(errs) > 0 {
		s.renderSettingsAgain(c, typed, errs)
		return
	}
	if err := s.store.SaveSettings(c.Request.Context(), values); err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.audit(c, "settings.change", "settings")
	flash(c, "notice", "Settings saved. Campaign defaults apply to new campaigns now; the others when Sambad next starts.")
	redirect(c, "/settings")
}

// renderSettingsAgain shows the page with what was typed over what is
// stored, the problems marked, and nothing saved.
func (s *Server) renderSettingsAgain(c *gin.Context, typed, errs map[string]string) {
	values, err := s.store.Settings(c.Request.Context())
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	for k, v := range typed {
		values[k] = v
	}
	flashNow(c, "Nothing was saved: please check the fields marked below.")
	s.render(c, http.StatusUnprocessableEntity, pageSettings, "settings", s.settingsView(values, errs))
}
