package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// apiContactCreate answers POST /api/v1/contacts with the stored contact.
func (s *Server) apiContactCreate(c *gin.Context) {
	var in models.ContactInput
	if !decodeJSON(c, &in) {
		return
	}
	var contact models.Contact
	if err := in.Apply(&contact, s.cfg.DefaultRegion); err != nil {
		apiStoreError(c, err)
		return
	}
	if err := s.store.CreateContact(c.Request.Context(), &contact); err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusCreated, contact)
}
