package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

type contactListView struct {
	Q           string
	Items       []models.Contact
	Total       int64
	Page, Pages int
	Groups      []models.Group
}

const contactsPerPage = 50

// contactList shows the searchable, paged contacts list.
func (s *Server) contactList(c *gin.Context) {
	q := models.ContactQuery{Q: strings.TrimSpace(c.Query("q")), Page: intQuery(c, "page", 1), PerPage: contactsPerPage}
	items, total, err := s.store.ListContacts(c.Request.Context(), q)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	groups, err := s.store.ListGroups(c.Request.Context())
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.render(c, http.StatusOK, pageContacts, "contacts", contactListView{
		Q: q.Q, Items: items, Total: total, Page: q.Page, Pages: pageCount(total, contactsPerPage), Groups: groups,
	})
}
