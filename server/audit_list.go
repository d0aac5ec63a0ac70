package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// auditView is what audit.html shows.
type auditView struct {
	Entries    []models.AuditEntry
	Filter     models.AuditFilter
	Actions    []string
	Users      []models.User
	Total      int64
	Page, Last int
	PrevURL    string
	NextURL    string
}

// auditList shows the audit log, newest first, filtered by user and action.
func (s *Server) auditList(c *gin.Context) {
	f := auditFilter(c)
	ctx := c.Request.Context()
	entries, total, err := s.store.ListAudit(ctx, f)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	users, err := s.store.ListUsers(ctx)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := auditView{Entries: entries, Filter: f, Actions: auditActions, Users: users, Total: total,
		Page: f.Page, Last: pageCount(total, f.PerPage)}
	link := func(page int) string {
		q := url.Values{}
		if f.User != "" {
			q.Set("user", f.User)
		}
		if f.Action != "" {
			q.Set("action", f.Action)
		}
		q.Set("page", strconv.Itoa(page))
		return "/audit?" + q.Encode()
	}
	if f.Page > 1 {
		v.PrevURL = link(f.Page - 1)
	}
	if f.Page < v.Last {
		v.NextURL = link(f.Page + 1)
	}
	s.render(c, http.StatusOK, pageAudit, "audit", v)
}
