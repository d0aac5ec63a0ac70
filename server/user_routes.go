package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/models"
)

// userRoutes adds the users, tokens and audit pages and API. Who may use
// which is in roles.go: users and the audit log are for admins; anyone
// manages their own account and tokens.
func (s *Server) userRoutes(r *gin.Engine, api *gin.RouterGroup) {
	r.GET("/users", s.userList)
	r.POST("/users", s.userCreate)
	r.POST("/users/:id", s.userUpdate)
	r.POST("/users/:id/password", s.userPasswordReset)
	r.POST("/users/:id/delete", s.userDelete)
	r.GET("/account", s.accountShow)
	r.POST("/account/password", s.accountPassword)
	r.POST("/account/tokens", s.accountTokenCreate)
	r.POST("/account/tokens/:id/delete", s.accountTokenDelete)
	r.GET("/audit", s.auditList)

	api.GET("/users", s.apiUserList)
	api.POST("/users", s.apiUserCreate)
	api.PATCH("/users/:id", s.apiUserUpdate)
	api.DELETE("/users/:id", s.apiUserDelete)
	api.GET("/tokens", s.apiTokenList)
	api.POST("/tokens", s.apiTokenCreate)
	api.DELETE("/tokens/:id", s.apiTokenDelete)
	api.GET("/audit", s.apiAuditList)
}

// userError is the message and status of an error from adding or changing
// a user: the person's own mistakes are theirs to fix; anything else is
// classify's.
func userError(c *gin.Context, err error) (int, string) {
	var pe *auth.PasswordError
	switch {
	case errors.Is(err, models.ErrLastAdmin):
		return http.StatusConflict, models.ErrLastAdmin.Error()
	case errors.As(err, &pe):
		return http.StatusUnprocessableEntity, "The " + pe.Error() + "."
	}
	return classify(c, err)
}

// userDetail describes a user for the audit log: name, role, numbers.
func userDetail(u *models.User) string {
	d := u.Name + " (" + u.Role
	if u.Role == models.RoleStaff && u.SeeNumbers {
		d += ", sees numbers"
	}
	return d + ")"
}
