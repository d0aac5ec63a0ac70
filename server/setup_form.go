package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/auth"
)

// setupView is what setup.html shows.
type setupView struct{ MinLen int }

// setupForm shows the first-run page that sets the password.
func (s *Server) setupForm(c *gin.Context) {
	if s.ops.auth.PasswordSet() {
		redirect(c, "/login")
		return
	}
	s.render(c, http.StatusOK, pageSetup, "auth", setupView{MinLen: auth.MinPasswordLen})
}
