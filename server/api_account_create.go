package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiAccountCreate answers POST /api/v1/accounts {"name", "daily_cap",
// "quiet_start", "quiet_end"}: 201 with the new account, whose browser
// starts so it can be linked (its QR comes in session.qr).
func (s *Server) apiAccountCreate(c *gin.Context) {
	if !s.needAccounts(c) {
		return
	}
	var in accountInput
	if !decodeJSON(c, &in) {
		return
	}
	if in.Name == nil {
		apiError(c, http.StatusUnprocessableEntity, "name is required")
		return
	}
	p, err := in.patch()
	if err != nil {
		apiError(c, http.StatusUnprocessableEntity, err.Error())
		return
	}
	a, err := s.accounts.Create(c.Request.Context(), *p.Name)
	if err != nil {
		s.accountError(c, err)
		return
	}
	if p.DailyCap != nil || p.QuietStart != nil {
		if a, err = s.accounts.Update(c.Request.Context(), a.ID, p); err != nil {
			s.accountError(c, err)
			return
		}
	}
	c.JSON(http.StatusCreated, a)
}
