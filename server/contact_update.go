package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
)

// contactUpdate saves the edit form.
func (s *Server) contactUpdate(c *gin.Context) {
	contact, err := s.store.GetContact(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	in, err := contactInputFromForm(c)
	if masksNumbers(c) {
		keepMasked(&in, contact)
	}
	m := membershipsFromForm(c)
	if err == nil {
		err = in.Apply(contact, s.cfg.DefaultRegion)
	}
	if err == nil {
		err = s.store.UpdateContactInGroups(c.Request.Context(), contact, m)
	}
	if msg := userMessage(err); msg != "" {
		s.renderContactForm(c, http.StatusUnprocessableEntity, contact.ID, in, &m, msg)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", "Contact "+contact.Phone+" saved.")
	redirect(c, "/contacts")
}

// keepMasked undoes the masking of the edit form for a user who may not see
// numbers: no number sent keeps the stored one, and a field sent back as
// the form showed it masked keeps its stored value.
func keepMasked(in *models.ContactInput, stored *models.Contact) {
	if strings.TrimSpace(in.Phone) == "" {
		in.Phone = stored.Phone
	}
	same := func(sent, was string) bool { return sent != was && sent == strings.TrimSpace(phone.MaskText(was)) }
	if same(strings.TrimSpace(in.Name), stored.Name) {
		in.Name = stored.Name
	}
	for i, was := range stored.Variables() {
		k := fmt.Sprintf("v%d", i+1)
		if same(in.Variables[k], was) {
			in.Variables[k] = was
		}
	}
	for k, was := range stored.Attributes {
		if v, ok := in.Attributes[k]; ok && same(v, was) {
			in.Attributes[k] = was
		}
	}
}
