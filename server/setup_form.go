package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/models"
)

// setupView is what setup.html shows.
type setupView struct {
	MinLen int
	Name   string
}

// setupForm shows the first-run page that makes the admin.
func (s *Server) setupForm(c *gin.Context) {
	if s.ops.auth.PasswordSet() {
		redirect(c, "/login")
		return
	}
	s.render(c, http.StatusOK, pageSetup, "auth", setupView{MinLen: auth.MinPasswordLen, Name: models.DefaultAdminName})
}
