package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// contactNew shows the empty add-contact form.
func (s *Server) contactNew(c *gin.Context) {
	s.renderContactForm(c, http.StatusOK, "", models.ContactInput{}, nil, "")
}
