package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/models"
)

// usersView is what users.html shows.
type usersView struct {
	Users  []models.User
	Me     string // the signed-in user's id
	MinLen int
	Roles  []string
}

// userList shows the Users page: every user, with forms to add, change,
// reset the password of and delete them.
func (s *Server) userList(c *gin.Context) {
	users, err := s.store.ListUsers(c.Request.Context())
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.render(c, http.StatusOK, pageUsers, "users", usersView{Users: users, Me: requestUser(c).ID,
		MinLen: auth.MinPasswordLen, Roles: []string{models.RoleStaff, models.RoleAdmin}})
}

// userFormError shows a user form's error on the Users page.
func (s *Server) userFormError(c *gin.Context, err error) {
	status, msg := userError(c, err)
	if status == http.StatusInternalServerError {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "error", msg)
	redirect(c, "/users")
}

// userCreate adds a user from the Users page.
func (s *Server) userCreate(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	u, err := s.ops.auth.AddUser(c.Request.Context(), c.PostForm("name"), c.PostForm("password"), c.PostForm("role"), c.PostForm("see_numbers") == "1")
	if err != nil {
		s.userFormError(c, err)
		return
	}
	s.audit(c, "user.create", userDetail(u))
	flash(c, "notice", "User "+u.Name+" added.")
	redirect(c, "/users")
}

// userUpdate changes a user's role and whether they see numbers.
func (s *Server) userUpdate(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	role, see := c.PostForm("role"), c.PostForm("see_numbers") == "1"
	u, err := s.store.UpdateUser(c.Request.Context(), c.Param("id"), models.UserPatch{Role: &role, SeeNumbers: &see})
	if err != nil {
		s.userFormError(c, err)
		return
	}
	s.audit(c, "user.update", userDetail(u))
	flash(c, "notice", "User "+u.Name+" saved.")
	redirect(c, "/users")
}

// userPasswordReset sets a new password for a user; their sessions end.
func (s *Server) userPasswordReset(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	u, err := s.ops.auth.ResetPassword(c.Request.Context(), c.Param("id"), c.PostForm("password"), "")
	if err != nil {
		s.userFormError(c, err)
		return
	}
	s.audit(c, "user.password_reset", u.Name)
	flash(c, "notice", "New password set for "+u.Name+"; their browsers were signed out.")
	redirect(c, "/users")
}

// userDelete removes a user, their sessions and tokens, after a
// confirmation page (so it works without JavaScript).
func (s *Server) userDelete(c *gin.Context) {
	ctx := c.Request.Context()
	u, err := s.store.GetUser(ctx, c.Param("id"))
	if err == nil && c.PostForm("confirm") != "yes" {
		s.render(c, http.StatusOK, pageConfirm, "users", confirmView{Title: "Delete " + u.Name + "?",
			Message: "They can no longer sign in, and their API tokens stop working. The audit log keeps what they did.",
			Button:  "Delete " + u.Name, Action: "/users/" + u.ID + "/delete", Back: "/users"})
		return
	}
	if err == nil {
		err = s.store.DeleteUser(ctx, u.ID)
	}
	if err != nil {
		s.userFormError(c, err)
		return
	}
	s.audit(c, "user.delete", userDetail(u))
	flash(c, "notice", "User "+u.Name+" deleted.")
	redirect(c, "/users")
}
