package server

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// campaignSchedule makes a draft start by itself at the time given.
func (s *Server) campaignSchedule(c *gin.Context) {
	id := c.Param("id")
	v := strings.TrimSpace(c.PostForm("scheduled_at"))
	at, err := time.ParseInLocation("2006-01-02T15:04", v, s.cfg.Location())
	if err != nil {
		campaignBack(c, id, "error", "Give the date and time to start, such as 2025-03-01 09:30.")
		return
	}
	if err := s.campaigns.Schedule(c.Request.Context(), id, at); err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	campaignBack(c, id, "notice", "Scheduled for "+at.Format("Mon 2 Jan 2006 15:04 MST")+".")
}
