package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// loginView is what login.html shows.
type loginView struct{ Next, Name string }

// loginForm shows the sign-in page, or moves on when there is nothing to sign in to.
func (s *Server) loginForm(c *gin.Context) {
	if !s.ops.auth.PasswordSet() {
		redirect(c, "/setup")
		return
	}
	next := localPath(c.Query("next"))
	if c.GetBool(ctxSignedIn) {
		redirect(c, next)
		return
	}
	s.render(c, http.StatusOK, pageLogin, "auth", loginView{Next: next})
}
