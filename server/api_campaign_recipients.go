package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// apiCampaignRecipients answers GET
// /api/v1/campaigns/{id}/recipients?state=&run=&page=&per_page=&messages=1;
// with messages=1 each recipient lists its messages (text and files).
func (s *Server) apiCampaignRecipients(c *gin.Context) {
	ctx := c.Request.Context()
	cp, err := s.store.GetCampaign(ctx, c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	q := models.RecipientQuery{CampaignID: cp.ID, Page: intQuery(c, "page", 1), PerPage: intQuery(c, "per_page", 50), Run: intQuery(c, "run", 0)}
	if st := c.Query("state"); st != "" {
		if !models.ValidRecipientState(st) {
			apiError(c, http.StatusBadRequest, "state must be one of "+strings.Join(models.RecipientStates, ", "))
			return
		}
		q.States = []string{st}
	}
	items, total, err := s.store.ListRecipients(ctx, q)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	if !messagesWanted(c) {
		c.JSON(http.StatusOK, gin.H{"items": items, "total": total})
		return
	}
	withMsgs, err := s.recipientsWithMessages(ctx, cp, items)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": withMsgs, "total": total})
}
