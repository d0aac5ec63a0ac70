package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// importFormView is what contact_import.html shows.
type importFormView struct {
	MaxMB  int
	Region string
	Mode   string
}

// contactImportForm shows the upload form.
func (s *Server) contactImportForm(c *gin.Context) {
	s.render(c, http.StatusOK, pageContactImport, "contacts", importFormView{MaxMB: s.cfg.ImportMaxMB, Region: s.cfg.DefaultRegion, Mode: "update"})
}
