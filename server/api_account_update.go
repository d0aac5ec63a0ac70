package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiAccountUpdate answers PATCH /api/v1/accounts/{id} with any of
// {"name", "daily_cap", "quiet_start", "quiet_end"}.
func (s *Server) apiAccountUpdate(c *gin.Context) {
	if !s.needAccounts(c) {
		return
	}
	var in accountInput
	if !decodeJSON(c, &in) {
		return
	}
	p, err := in.patch()
	if err != nil {
		apiError(c, http.StatusUnprocessableEntity, err.Error())
		return
	}
	if _, err := s.accounts.Update(c.Request.Context(), c.Param("id"), p); err != nil {
		s.accountError(c, err)
		return
	}
	s.apiAccountGet(c)
}
