package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/settings"
)

// contactCreate stores a contact from the add form; on bad input the form is
// shown again with what was typed and the reason.
func (s *Server) contactCreate(c *gin.Context) {
	in, err := contactInputFromForm(c)
	m := membershipsFromForm(c)
	var contact models.Contact
	if err == nil {
		err = in.Apply(&contact, s.cfg.DefaultRegion)
	}
	if err == nil {
		err = s.store.CreateContactInGroups(c.Request.Context(), &contact, m)
	}
	if msg := userMessage(err); msg != "" {
		s.renderContactForm(c, http.StatusUnprocessableEntity, "", in, &m, msg)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", "Contact "+contact.Phone+" added.")
	redirect(c, "/contacts")
}

// renderContactForm shows the add/edit form. m is what the picker ticks; nil
// ticks the groups the contact is in now.
func (s *Server) renderContactForm(c *gin.Context, status int, id string, in models.ContactInput, m *models.Memberships, errMsg string) {
	ctx := c.Request.Context()
	labels, err := settings.LoadVarLabels(ctx, s.store)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := newContactFormView(id, s.cfg.DefaultRegion, in, labels)
	v.HideNumber = id != "" && masksNumbers(c)
	if m == nil {
		m = &models.Memberships{}
		if id != "" {
			current, err := s.store.ContactGroups(ctx, id)
			if err != nil {
				s.pageStoreError(c, err)
				return
			}
			for _, g := range current {
				m.GroupIDs = append(m.GroupIDs, g.ID)
			}
		}
	}
	all, err := s.store.ListGroups(ctx)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v.withGroups(all, *m)
	if errMsg != "" {
		flashNow(c, errMsg)
	}
	s.render(c, status, pageContactForm, "contacts", v)
}
