package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiContactDelete answers DELETE /api/v1/contacts/{id}: 204, or 404.
func (s *Server) apiContactDelete(c *gin.Context) {
	n, err := s.store.DeleteContacts(c.Request.Context(), []string{c.Param("id")})
	if err != nil {
		apiStoreError(c, err)
		return
	}
	if n == 0 {
		apiError(c, http.StatusNotFound, "not found")
		return
	}
	c.Status(http.StatusNoContent)
}
