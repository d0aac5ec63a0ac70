package server

import (
	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/settings"
)

// settingsVariablesSave stores the names of v1..v10 together; a bad name
// comes back with the form as typed and nothing is saved.
func (s *Server) settingsVariablesSave(c *gin.Context) {
	var typed settings.VarLabels
	raw := map[string]string{}
	for n := 1; n <= models.VariableCount; n++ {
		typed[n-1] = c.PostForm(settings.VarLabelKey(n))
		raw[settings.VarLabelKey(n)] = typed[n-1]
	}
	values, errs := settings.CheckVarLabels(typed)
	if len(errs) > 0 {
		s.renderSettingsAgain(c, raw, errs)
		return
	}
	if err := s.store.SaveSettings(c.Request.Context(), values); err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.audit(c, "settings.change", "variable names")
	flash(c, "notice", "Variable names saved. Messages still use {{v1}}…{{v10}}, and exports keep the v1…v10 columns.")
	redirect(c, "/settings#variables")
}
