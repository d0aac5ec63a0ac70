package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// contactEdit shows the edit form of one contact.
func (s *Server) contactEdit(c *gin.Context) {
	contact, err := s.store.GetContact(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.renderContactForm(c, http.StatusOK, contact.ID, models.InputFromContact(contact), nil, "")
}
