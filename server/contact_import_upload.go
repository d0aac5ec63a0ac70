package server

import (
	"os"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// contactImportUpload keeps the uploaded file and sends the browser to its
// preview; a refused file shows the form again with the reason.
func (s *Server) contactImportUpload(c *gin.Context) {
	view := importFormView{MaxMB: s.cfg.ImportMaxMB, Region: s.cfg.DefaultRegion, Mode: "update"}
	up, fields, err := s.receive(c)
	if err == nil {
		view.Mode = fields["mode"]
		up.Mode, err = models.ParseImportMode(fields["mode"])
		if err != nil {
			os.Remove(up.Path)
		}
	}
	if err == nil {
		err = s.uploads.add(up)
	}
	if err != nil {
		status, msg := importFailure(c, err)
		flashNow(c, msg)
		s.render(c, status, pageContactImport, "contacts", view)
		return
	}
	redirect(c, "/contacts/import/"+up.Token)
}
