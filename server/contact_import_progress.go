package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// contactImportProgress answers htmx's polling with the progress block of
// a running import (the block stops polling once the import has ended).
func (s *Server) contactImportProgress(c *gin.Context) {
	up, ok := s.uploads.get(c.Param("token"))
	if !ok {
		c.String(http.StatusNotFound, "This import has expired.")
		return
	}
	preview, job := s.uploads.state(up)
	html, err := s.renderFragment(c, fragmentImportProgress, s.withJob(importView{Token: up.Token, Name: up.Name, Mode: string(up.Mode), Preview: preview}, job))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(html))
}
