package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiAccountGet answers GET /api/v1/accounts/{id}.
func (s *Server) apiAccountGet(c *gin.Context) {
	if !s.needAccounts(c) {
		return
	}
	a, err := s.accountWithSends(c, c.Param("id"))
	if err != nil {
		s.accountError(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}
