package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

type groupView struct {
	Group       *models.Group
	Q           string
	Items       []models.Contact
	Page, Pages int
}

// groupShow lists a group's members.
func (s *Server) groupShow(c *gin.Context) {
	g, err := s.store.GetGroup(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	q := s.forViewer(c, models.ContactQuery{GroupID: g.ID, Q: strings.TrimSpace(c.Query("q")), Page: intQuery(c, "page", 1), PerPage: contactsPerPage})
	items, total, err := s.store.ListContacts(c.Request.Context(), q)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.render(c, http.StatusOK, pageGroup, "groups", groupView{Group: g, Q: q.Q, Items: items, Page: q.Page, Pages: pageCount(total, contactsPerPage)})
}
