package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// auditPerPage is how many entries a page of the audit log shows.
const auditPerPage = 50

// auditFilter reads ?user=, ?action=, ?page= and ?per_page=.
func auditFilter(c *gin.Context) models.AuditFilter {
	return models.AuditFilter{User: c.Query("user"), Action: c.Query("action"),
		Page: intQuery(c, "page", 1), PerPage: min(intQuery(c, "per_page", auditPerPage), 500)}
}

// apiAuditList answers GET /api/v1/audit, newest first.
func (s *Server) apiAuditList(c *gin.Context) {
	f := auditFilter(c)
	entries, total, err := s.store.ListAudit(c.Request.Context(), f)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entries": entries, "total": total, "page": f.Page, "per_page": f.PerPage})
}
