package server

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// accountUpdate saves an account's name, daily cap and quiet hours from the
// page.
func (s *Server) accountUpdate(c *gin.Context) {
	if !s.needAccounts(c) {
		return
	}
	name, qs, qe := c.PostForm("name"), c.PostForm("quiet_start"), c.PostForm("quiet_end")
	in := accountInput{Name: &name, QuietStart: &qs, QuietEnd: &qe}
	capText := strings.TrimSpace(c.PostForm("daily_cap"))
	limit := 0
	if capText != "" {
		n, err := strconv.Atoi(capText)
		if err != nil {
			flash(c, "error", "Daily cap: “"+capText+"” is not a whole number.")
			redirect(c, "/accounts#acct-"+c.Param("id"))
			return
		}
		limit = n
	}
	in.DailyCap = &limit
	p, err := in.patch()
	if err != nil {
		flash(c, "error", strings.ToUpper(err.Error()[:1])+err.Error()[1:]+".")
		redirect(c, "/accounts#acct-"+c.Param("id"))
		return
	}
	if _, err := s.accounts.Update(c.Request.Context(), c.Param("id"), p); err != nil {
		s.accountError(c, err)
		return
	}
	flash(c, "notice", "Saved.")
	redirect(c, "/accounts#acct-"+c.Param("id"))
}
