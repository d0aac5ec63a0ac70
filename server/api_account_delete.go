package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiAccountDelete answers DELETE /api/v1/accounts/{id}: the account, its
// browser and its profile directory go (204); the last account stays (409).
func (s *Server) apiAccountDelete(c *gin.Context) {
	if !s.needAccounts(c) {
		return
	}
	if !s.accountFree(c, c.Param("id")) {
		return
	}
	if err := s.accounts.Remove(c.Request.Context(), c.Param("id")); err != nil {
		s.accountError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
