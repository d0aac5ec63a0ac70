package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiContactGet answers GET /api/v1/contacts/{id}.
func (s *Server) apiContactGet(c *gin.Context) {
	contact, err := s.store.GetContact(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, contact)
}
