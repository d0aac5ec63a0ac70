package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/settings"
)

type contactListView struct {
	Q           string
	OnWhatsApp  string        // the "on WhatsApp" filter: "", "true", "false" or "unknown"
	Group       *models.Group // the group filter, nil for all
	Items       []models.Contact
	InGroups    map[string][]string // contact id -> names of its groups
	Total       int64
	Page, Pages int
	Groups      []models.Group
	Labels      settings.VarLabels
	LastBulk    *models.BulkEditRecord // the bulk edit Undo reverts, nil when none
	Variables   []string               // v1…v10, for the bulk edit's field list
}

// Vars lists a contact's filled variables in order, each with its name.
func (v contactListView) Vars(c models.Contact) []varField {
	var out []varField
	for i, val := range c.Variables() {
		if val != "" {
			out = append(out, varField{Key: fmt.Sprintf("v%d", i+1), Label: v.Labels.Of(i + 1), Value: val})
		}
	}
	return out
}

const contactsPerPage = 50

// contactList shows the searchable, paged contacts list.
func (s *Server) contactList(c *gin.Context) {
	ctx := c.Request.Context()
	q := s.forViewer(c, models.ContactQuery{Q: strings.TrimSpace(c.Query("q")), GroupID: c.Query("group"), OnWhatsApp: onWhatsAppFilter(c.Query("on_whatsapp")),
		Page: intQuery(c, "page", 1), PerPage: contactsPerPage})
	groups, err := s.store.ListGroups(ctx)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := contactListView{Q: q.Q, OnWhatsApp: q.OnWhatsApp, Groups: groups}
	if v.Labels, err = settings.LoadVarLabels(ctx, s.store); err != nil {
		s.pageStoreError(c, err)
		return
	}
	for i := range groups {
		if groups[i].ID == q.GroupID {
			v.Group = &groups[i]
		}
	}
	if v.Group == nil {
		q.GroupID = "" // an unknown group filters nothing
	}
	if v.Items, v.Total, err = s.store.ListContacts(ctx, q); err != nil {
		s.pageStoreError(c, err)
		return
	}
	ids := make([]string, len(v.Items))
	for i, it := range v.Items {
		ids[i] = it.ID
	}
	if v.InGroups, err = s.store.GroupNamesOf(ctx, ids); err != nil {
		s.pageStoreError(c, err)
		return
	}
	if v.LastBulk, err = s.store.LastBulkEdit(ctx); err != nil {
		s.pageStoreError(c, err)
		return
	}
	for i := 1; i <= models.VariableCount; i++ {
		v.Variables = append(v.Variables, fmt.Sprintf("v%d", i))
	}
	v.Page, v.Pages = q.Page, pageCount(v.Total, contactsPerPage)
	s.render(c, http.StatusOK, pageContacts, "contacts", v)
}

// Filtered reports whether the list is searched or filtered.
func (v contactListView) Filtered() bool { return v.Q != "" || v.Group != nil || v.OnWhatsApp != "" }

// ExportQuery is the list's search and filters as the exports' query
// string (the exports name the group group_id).
func (v contactListView) ExportQuery() string {
	q := url.Values{}
	if v.Q != "" {
		q.Set("q", v.Q)
	}
	if v.Group != nil {
		q.Set("group_id", v.Group.ID)
	}
	if v.OnWhatsApp != "" {
		q.Set("on_whatsapp", v.OnWhatsApp)
	}
	return q.Encode()
}
