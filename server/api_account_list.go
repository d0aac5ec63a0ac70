package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiAccountList answers GET /api/v1/accounts: every account, first one
// first, with its session state and today's sends.
func (s *Server) apiAccountList(c *gin.Context) {
	if !s.needAccounts(c) {
		return
	}
	list, err := s.accountsWithSends(c)
	if err != nil {
		s.accountError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "total": len(list), "max": s.cfg.MaxAccounts})
}
