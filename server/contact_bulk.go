package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

type confirmView struct {
	Title, Message, Button, Action, Back string
	IDs                                  []string
	Hidden                               map[string]string
}

// contactBulk applies the list's "with selected" actions: delete (after a
// confirmation page, so it works without JavaScript) or add to a group, an
// existing one or one named in place. It goes back to the list as it was
// searched.
func (s *Server) contactBulk(c *gin.Context) {
	list := url.Values{}
	if q := strings.TrimSpace(c.PostForm("q")); q != "" {
		list.Set("q", q)
	}
	if g := c.PostForm("group"); g != "" {
		list.Set("group", g)
	}
	back := "/contacts"
	if len(list) > 0 {
		back += "?" + list.Encode()
	}
	ids := c.PostFormArray("ids")
	if len(ids) == 0 {
		flash(c, "error", "Select at least one contact first.")
		redirect(c, back)
		return
	}
	switch c.PostForm("action") {
	case "delete":
		if c.PostForm("confirm") != "yes" {
			s.render(c, http.StatusOK, pageConfirm, "contacts", confirmView{
				Title: fmt.Sprintf("Delete %d contacts?", len(ids)), Message: "They leave every group. This cannot be undone.",
				Button: "Delete them", Action: "/contacts/bulk", Back: back, IDs: ids, Hidden: map[string]string{"action": "delete", "q": c.PostForm("q"), "group": c.PostForm("group")},
			})
			return
		}
		n, err := s.store.DeleteContacts(c.Request.Context(), ids)
		if err != nil {
			s.pageStoreError(c, err)
			return
		}
		flash(c, "notice", fmt.Sprintf("%d contacts deleted.", n))
	case "add_to_group":
		g, err := s.bulkGroup(c)
		if err != nil {
			if msg := userMessage(err); msg != "" {
				flash(c, "error", msg)
				redirect(c, back)
				return
			}
			s.pageStoreError(c, err)
			return
		}
		n, err := s.store.AddMembers(c.Request.Context(), g.ID, ids)
		if err != nil {
			s.pageStoreError(c, err)
			return
		}
		flash(c, "notice", fmt.Sprintf("%d contacts added to “%s” (%d were already in it).", n, g.Name, int64(len(ids))-n))
	default:
		flash(c, "error", "Unknown action.")
	}
	redirect(c, back)
}

// bulkGroup is the group chosen for "Add to group": a new one when a name
// is given, else the one picked.
func (s *Server) bulkGroup(c *gin.Context) (*models.Group, error) {
	if name := strings.TrimSpace(c.PostForm("new_group")); name != "" {
		return s.store.CreateGroup(c.Request.Context(), name)
	}
	gid := c.PostForm("group_id")
	if gid == "" {
		return nil, &models.ValidationError{Message: "Choose the group to add the contacts to, or name a new one."}
	}
	return s.store.GetGroup(c.Request.Context(), gid)
}
