package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// apiContactList answers GET /api/v1/contacts?q=&page=&per_page=&group_id=&on_whatsapp=.
func (s *Server) apiContactList(c *gin.Context) {
	q := s.forViewer(c, models.ContactQuery{Q: c.Query("q"), GroupID: c.Query("group_id"), OnWhatsApp: c.Query("on_whatsapp"), Page: intQuery(c, "page", 1), PerPage: intQuery(c, "per_page", 50)})
	if !models.ValidOnWhatsAppFilter(q.OnWhatsApp) {
		apiError(c, http.StatusBadRequest, "on_whatsapp must be true, false or unknown")
		return
	}
	items, total, err := s.store.ListContacts(c.Request.Context(), q)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total})
}
