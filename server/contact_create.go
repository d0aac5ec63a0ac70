package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// contactCreate stores a contact from the add form; on bad input the form is
// shown again with what was typed and the reason.
func (s *Server) contactCreate(c *gin.Context) {
	in, err := contactInputFromForm(c)
	var contact models.Contact
	if err == nil {
		err = in.Apply(&contact, s.cfg.DefaultRegion)
	}
	if err == nil {
		err = s.store.CreateContact(c.Request.Context(), &contact)
	}
	if msg := userMessage(err); msg != "" {
		s.renderContactForm(c, http.StatusUnprocessableEntity, "", in, msg)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", "Contact "+contact.Phone+" added.")
	redirect(c, "/contacts")
}

func (s *Server) renderContactForm(c *gin.Context, status int, id string, in models.ContactInput, errMsg string) {
	v := newContactFormView(id, s.cfg.DefaultRegion, in)
	if id != "" {
		v.Groups, _ = s.store.ContactGroups(c.Request.Context(), id)
	}
	if errMsg != "" {
		flashNow(c, errMsg)
	}
	s.render(c, status, pageContactForm, "contacts", v)
}
