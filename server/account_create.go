package server

import (
	"github.com/gin-gonic/gin"
)

// accountCreate adds an account from the page; its browser starts and its
// card shows the QR code to scan.
func (s *Server) accountCreate(c *gin.Context) {
	if !s.needAccounts(c) {
		return
	}
	name := c.PostForm("name")
	p, err := accountInput{Name: &name}.patch()
	if err != nil {
		flash(c, "error", "Name: "+err.Error())
		redirect(c, "/accounts")
		return
	}
	a, err := s.accounts.Create(c.Request.Context(), *p.Name)
	if err != nil {
		s.accountError(c, err)
		return
	}
	flash(c, "notice", "“"+a.Name+"” added. Scan its QR code with the phone of that WhatsApp number, or ask for a pairing code.")
	redirect(c, "/accounts#acct-"+a.ID)
}
