package server

import (
	"github.com/gin-gonic/gin"
)

// syncNow asks the sync worker for a push and pull now.
func (s *Server) syncNow(c *gin.Context) {
	if s.sync == nil {
		flash(c, "error", "Sync runs only in hybrid mode (SAMBAD_STORAGE=hybrid with DATABASE_URL).")
		redirect(c, "/sync")
		return
	}
	s.sync.SyncNow()
	flash(c, "notice", "Syncing now. Refresh in a moment to see the result.")
	redirect(c, "/sync")
}
