package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// accountDelete removes an account after a confirmation page (so it works
// without JavaScript): its browser stops and its profile directory, the
// WhatsApp session on this computer, is deleted.
func (s *Server) accountDelete(c *gin.Context) {
	if !s.needAccounts(c) {
		return
	}
	id := c.Param("id")
	a, err := s.accounts.Get(c.Request.Context(), id)
	if err != nil {
		s.accountError(c, err)
		return
	}
	if c.PostForm("confirm") != "yes" {
		s.render(c, http.StatusOK, pageConfirm, "whatsapp", confirmView{
			Title:   "Remove “" + a.Name + "”?",
			Message: "Its browser stops and its WhatsApp session on this computer is deleted. To link this number again you will scan a new QR code. On the phone, also remove the device under Linked devices.",
			Button:  "Remove the account", Action: "/accounts/" + id + "/delete", Back: "/accounts",
		})
		return
	}
	if !s.accountFree(c, id) {
		return
	}
	if err := s.accounts.Remove(c.Request.Context(), id); err != nil {
		s.accountError(c, err)
		return
	}
	flash(c, "notice", "“"+a.Name+"” removed with its session.")
	redirect(c, "/accounts")
}
