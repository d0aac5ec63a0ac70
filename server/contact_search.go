package server

import (
	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
)

// forViewer fits a contact search to the request's user: for one who may
// not see numbers, a term finds a number only as the whole number (typed in
// any form phone.Normalize reads), so a search still finds the person who
// calls but cannot be used to guess digits.
func (s *Server) forViewer(c *gin.Context, q models.ContactQuery) models.ContactQuery {
	if !masksNumbers(c) {
		return q
	}
	q.NumberHidden = true
	if e164, err := phone.Normalize(q.Q, s.cfg.DefaultRegion); err == nil {
		q.ExactPhone = e164
	}
	return q
}
