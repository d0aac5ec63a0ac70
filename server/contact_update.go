package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// contactUpdate saves the edit form.
func (s *Server) contactUpdate(c *gin.Context) {
	contact, err := s.store.GetContact(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	in, err := contactInputFromForm(c)
	if strings.TrimSpace(in.Phone) == "" && masksNumbers(c) {
		// The form showed the number masked and sent none: it stays.
		in.Phone = contact.Phone
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
