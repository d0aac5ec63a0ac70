package server

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// contactBulkEdit sets or clears one field (name, v1…v10, an attribute,
// opted out) on the selected contacts, or on every contact matching the
// list's search and group, in one transaction; the flash says how many
// changed and the list offers to undo it. A plain form: no JavaScript.
func (s *Server) contactBulkEdit(c *gin.Context) {
	back := contactListURL(c.PostForm("q"), c.PostForm("group"), c.PostForm("on_whatsapp"))
	e := models.BulkEdit{Field: c.PostForm("field"), Clear: c.PostForm("op") == "clear", Value: c.PostForm("value")}
	if e.Field == "attr" {
		e.Field = "attr:" + c.PostForm("attribute")
	}
	if c.PostForm("scope") == "matching" {
		m := s.forViewer(c, models.ContactQuery{Q: strings.TrimSpace(c.PostForm("q")), GroupID: c.PostForm("group"), OnWhatsApp: onWhatsAppFilter(c.PostForm("on_whatsapp"))})
		e.Match = &m
	} else {
		e.IDs = c.PostFormArray("ids")
		if len(e.IDs) == 0 {
			flash(c, "error", "Select at least one contact first, or choose “every contact matching”.")
			redirect(c, back)
			return
		}
	}
	n, err := s.store.BulkEditContacts(c.Request.Context(), e)
	if msg := userMessage(err); msg != "" {
		flash(c, "error", msg)
		redirect(c, back)
		return
	}
	if errors.Is(err, models.ErrNotFound) {
		flash(c, "error", "That group no longer exists; nothing was changed.")
		redirect(c, back)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	if n == 0 {
		flash(c, "notice", "No contact changed: none matched, or they all had that value already.")
	} else {
		flash(c, "notice", fmt.Sprintf("%s changed. Undo it below while it is the last bulk edit.", contactCount(n)))
	}
	redirect(c, back)
}

// contactBulkUndo puts back what the last bulk edit changed.
func (s *Server) contactBulkUndo(c *gin.Context) {
	back := contactListURL(c.PostForm("q"), c.PostForm("group"), c.PostForm("on_whatsapp"))
	n, err := s.store.UndoBulkEdit(c.Request.Context())
	if errors.Is(err, models.ErrNotFound) {
		flash(c, "error", "There is no bulk edit to undo (it was undone already).")
		redirect(c, back)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", fmt.Sprintf("Bulk edit undone: %s back to the previous value.", contactCount(n)))
	redirect(c, back)
}

// contactListURL is the contacts list as it was searched and filtered.
func contactListURL(q, group, onWhatsApp string) string {
	v := url.Values{}
	if q = strings.TrimSpace(q); q != "" {
		v.Set("q", q)
	}
	if group != "" {
		v.Set("group", group)
	}
	if f := onWhatsAppFilter(onWhatsApp); f != "" {
		v.Set("on_whatsapp", f)
	}
	if len(v) == 0 {
		return "/contacts"
	}
	return "/contacts?" + v.Encode()
}

// contactCount is "1 contact" or "n contacts".
func contactCount(n int64) string {
	if n == 1 {
		return "1 contact"
	}
	return fmt.Sprintf("%d contacts", n)
}

// onWhatsAppFilter is the list's "on WhatsApp" filter, "" when v is not one.
func onWhatsAppFilter(v string) string {
	if models.ValidOnWhatsAppFilter(v) {
		return v
	}
	return ""
}
