package server

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

type confirmView struct {
	Title, Message, Button, Action, Back string
	IDs                                  []string
	Hidden                               map[string]string
}

// contactBulk applies the list's "with selected" actions: delete (after a
// confirmation page, so it works without JavaScript) or add to a group.
func (s *Server) contactBulk(c *gin.Context) {
	ids := c.PostFormArray("ids")
	if len(ids) == 0 {
		flash(c, "error", "Select at least one contact first.")
		redirect(c, "/contacts")
		return
	}
	switch c.PostForm("action") {
	case "delete":
		if c.PostForm("confirm") != "yes" {
			s.render(c, http.StatusOK, pageConfirm, "contacts", confirmView{
				Title: fmt.Sprintf("Delete %d contacts?", len(ids)), Message: "They leave every group. This cannot be undone.",
				Button: "Delete them", Action: "/contacts/bulk", Back: "/contacts", IDs: ids, Hidden: map[string]string{"action": "delete"},
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
		gid := c.PostForm("group_id")
		if gid == "" {
			flash(c, "error", "Choose the group to add the contacts to.")
			redirect(c, "/contacts")
			return
		}
		n, err := s.store.AddMembers(c.Request.Context(), gid, ids)
		if err != nil {
			s.pageStoreError(c, err)
			return
		}
		flash(c, "notice", fmt.Sprintf("%d contacts added to the group (%d were already in it).", n, int64(len(ids))-n))
	default:
		flash(c, "error", "Unknown action.")
	}
	redirect(c, "/contacts")
}
