package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiNumberCheckGet answers GET /api/v1/numbers/check/{id}: the job's
// state, progress and every number's result so far.
func (s *Server) apiNumberCheckGet(c *gin.Context) {
	ctx := c.Request.Context()
	n, err := s.numbers.Get(ctx, c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	items, err := s.store.NumberCheckItems(ctx, n.ID)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"check": n, "done": n.Counts.Done(), "results": items})
}

// apiNumberCheckCancel answers POST /api/v1/numbers/check/{id}/cancel; the
// results found so far are kept.
func (s *Server) apiNumberCheckCancel(c *gin.Context) {
	n, err := s.numbers.Cancel(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiCampaignError(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}
