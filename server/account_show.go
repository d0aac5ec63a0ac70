package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/models"
)

// profileView is what account.html (your own profile) shows.
type profileView struct {
	User     *models.User
	Tokens   []models.APIToken
	NewToken string // the token just made: shown this once
	NewName  string
	MinLen   int
}

// accountShow shows your own profile: your password and your API tokens.
func (s *Server) accountShow(c *gin.Context) {
	s.renderAccount(c, http.StatusOK, "", "")
}

func (s *Server) renderAccount(c *gin.Context, status int, newToken, newName string) {
	u := requestUser(c)
	v := profileView{User: u, NewToken: newToken, NewName: newName, MinLen: auth.MinPasswordLen}
	if u.ID != "" {
		list, err := s.store.ListAPITokens(c.Request.Context(), u.ID)
		if err != nil {
			s.pageStoreError(c, err)
			return
		}
		v.Tokens = list
	}
	s.render(c, status, pageAccount, "account", v)
}

// accountPassword changes your own password; this browser stays signed in,
// your others are signed out.
func (s *Server) accountPassword(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	u := requestUser(c)
	if u.ID == "" {
		redirect(c, "/setup")
		return
	}
	tok, _ := c.Cookie(sessionCookie)
	err := s.ops.auth.ChangeOwnPassword(c.Request.Context(), u.ID, c.PostForm("current"), c.PostForm("password"), c.PostForm("confirm"), tok)
	var pe *auth.PasswordError
	switch {
	case err == nil:
		s.audit(c, "auth.password_change", "")
		flash(c, "notice", "Password changed. Your other browsers were signed out.")
	case errors.Is(err, auth.ErrWrongCurrent):
		flash(c, "error", "The current password is wrong; nothing was changed.")
	case errors.As(err, &pe):
		flash(c, "error", "The new "+pe.Error()+".")
	default:
		s.pageStoreError(c, err)
		return
	}
	redirect(c, "/account")
}

// accountTokenCreate makes a personal API token and shows it once.
func (s *Server) accountTokenCreate(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	u := requestUser(c)
	if u.ID == "" {
		redirect(c, "/setup")
		return
	}
	tok, rec, err := s.ops.auth.NewAPIToken(c.Request.Context(), u.ID, c.PostForm("name"))
	if msg := userMessage(err); msg != "" {
		flashNow(c, "The token's "+msg+".")
		s.renderAccount(c, http.StatusUnprocessableEntity, "", "")
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.audit(c, "token.create", tokenDetail(rec))
	// Rendered, not redirected: the token must not travel in a cookie or a URL.
	s.renderAccount(c, http.StatusCreated, tok, rec.Name)
}

// accountTokenDelete revokes one of your tokens (an admin: anyone's).
func (s *Server) accountTokenDelete(c *gin.Context) {
	rec, err := s.revokeToken(c, c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", "Token "+rec.Name+" revoked: it no longer works.")
	back := "/account"
	if rec.UserID != requestUser(c).ID {
		back = "/users"
	}
	redirect(c, back)
}
