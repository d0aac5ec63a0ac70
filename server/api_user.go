package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/models"
)

// userBody is what POST and PATCH /api/v1/users read; PATCH leaves absent
// fields as they are.
type userBody struct {
	Name       *string `json:"name"`
	Password   *string `json:"password"`
	Role       *string `json:"role"`
	SeeNumbers *bool   `json:"see_numbers"`
}

// apiUserList answers GET /api/v1/users.
func (s *Server) apiUserList(c *gin.Context) {
	users, err := s.store.ListUsers(c.Request.Context())
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"users": users})
}

// apiUserCreate answers POST /api/v1/users {"name","password","role"}.
func (s *Server) apiUserCreate(c *gin.Context) {
	var b userBody
	if !decodeJSON(c, &b) {
		return
	}
	if b.Name == nil || b.Password == nil {
		apiError(c, http.StatusUnprocessableEntity, "give the user a name and a password")
		return
	}
	role := models.RoleStaff
	if b.Role != nil {
		role = *b.Role
	}
	u, err := s.ops.auth.AddUser(c.Request.Context(), *b.Name, *b.Password, role, b.SeeNumbers != nil && *b.SeeNumbers)
	if err != nil {
		status, msg := userError(c, err)
		apiError(c, status, msg)
		return
	}
	s.audit(c, "user.create", userDetail(u))
	c.JSON(http.StatusCreated, u)
}

// apiUserUpdate answers PATCH /api/v1/users/{id}: name, role, see_numbers,
// password (a reset: the user's sessions end).
func (s *Server) apiUserUpdate(c *gin.Context) {
	var b userBody
	if !decodeJSON(c, &b) {
		return
	}
	patch := models.UserPatch{Name: b.Name, Role: b.Role, SeeNumbers: b.SeeNumbers}
	if b.Password != nil {
		hash, err := auth.HashPassword(*b.Password)
		if err != nil {
			status, msg := userError(c, err)
			apiError(c, status, msg)
			return
		}
		patch.PasswordHash = &hash
	}
	// One transaction: a refused change (the last admin) changes nothing,
	// the password included.
	u, err := s.store.UpdateUser(c.Request.Context(), c.Param("id"), patch)
	if err != nil {
		status, msg := userError(c, err)
		apiError(c, status, msg)
		return
	}
	if b.Password != nil {
		s.audit(c, "user.password_reset", u.Name)
	}
	if b.Name != nil || b.Role != nil || b.SeeNumbers != nil {
		s.audit(c, "user.update", userDetail(u))
	}
	c.JSON(http.StatusOK, u)
}

// apiUserDelete answers DELETE /api/v1/users/{id}; the last admin stays.
func (s *Server) apiUserDelete(c *gin.Context) {
	ctx := c.Request.Context()
	u, err := s.store.GetUser(ctx, c.Param("id"))
	if err == nil {
		err = s.store.DeleteUser(ctx, u.ID)
	}
	if err != nil {
		status, msg := userError(c, err)
		apiError(c, status, msg)
		return
	}
	s.audit(c, "user.delete", userDetail(u))
	c.Status(http.StatusNoContent)
}
