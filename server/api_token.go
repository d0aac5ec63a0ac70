package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// tokenOwner is the user a request's own tokens belong to: its user, or for
// SAMBAD_API_TOKEN and an open local install (no user of their own) the
// first admin.
func (s *Server) tokenOwner(c *gin.Context) (string, error) {
	if id := requestUser(c).ID; id != "" {
		return id, nil
	}
	u, err := s.store.OwnerUser(c.Request.Context())
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

// apiTokenList answers GET /api/v1/tokens: your tokens; an admin sees
// everyone's (?user_id= for one user's).
func (s *Server) apiTokenList(c *gin.Context) {
	userID := c.Query("user_id")
	if !requestUser(c).IsAdmin() {
		userID = requestUser(c).ID
	}
	list, err := s.store.ListAPITokens(c.Request.Context(), userID)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tokens": list})
}

// apiTokenCreate answers POST /api/v1/tokens {"name"} (an admin may add
// "user_id"). The answer carries the token: the only time it is shown.
func (s *Server) apiTokenCreate(c *gin.Context) {
	var b struct {
		Name   string `json:"name"`
		UserID string `json:"user_id"`
	}
	if !decodeJSON(c, &b) {
		return
	}
	owner, err := s.tokenOwner(c)
	if err != nil {
		apiError(c, http.StatusConflict, "there is no user to own the token yet: make the admin first")
		return
	}
	if b.UserID != "" && b.UserID != owner {
		if !requestUser(c).IsAdmin() {
			apiError(c, http.StatusForbidden, "only an admin can make a token for another user")
			return
		}
		owner = b.UserID
	}
	tok, rec, err := s.ops.auth.NewAPIToken(c.Request.Context(), owner, b.Name)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	s.audit(c, "token.create", tokenDetail(rec))
	c.JSON(http.StatusCreated, gin.H{"id": rec.ID, "name": rec.Name, "user_id": rec.UserID, "user_name": rec.UserName,
		"prefix": rec.Prefix, "created_at": rec.CreatedAt, "token": tok})
}

// apiTokenDelete answers DELETE /api/v1/tokens/{id}: your own, or any for an admin.
func (s *Server) apiTokenDelete(c *gin.Context) {
	if _, err := s.revokeToken(c, c.Param("id")); err != nil {
		apiStoreError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// revokeToken revokes a token the request's user may revoke (their own;
// any for an admin): another user's token is "not found" to staff.
func (s *Server) revokeToken(c *gin.Context, id string) (*models.APIToken, error) {
	ctx := c.Request.Context()
	rec, err := s.store.GetAPIToken(ctx, id)
	if err != nil {
		return nil, err
	}
	if u := requestUser(c); !u.IsAdmin() && rec.UserID != u.ID {
		return nil, models.ErrNotFound
	}
	if err := s.store.DeleteAPIToken(ctx, rec.ID); err != nil {
		return nil, err
	}
	s.audit(c, "token.revoke", tokenDetail(rec))
	return rec, nil
}

// tokenDetail names a token for the audit log (never the token itself).
func tokenDetail(t *models.APIToken) string {
	return "\"" + t.Name + "\" (" + t.Prefix + "…) of " + t.UserName
}
