package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/phone"
)

// accountSession returns the session of the account in the path, answering
// 404 or 409 (held by another install) itself when there is none.
func (s *Server) accountSession(c *gin.Context, id string) (WhatsApp, bool) {
	if !s.needAccounts(c) {
		return nil, false
	}
	if _, err := s.accounts.Get(c.Request.Context(), id); err != nil {
		s.accountError(c, err)
		return nil, false
	}
	wa := s.accounts.Session(id)
	if wa == nil {
		s.answerError(c, http.StatusConflict, "this account's WhatsApp session is on another install; use that install")
		return nil, false
	}
	return wa, true
}

// apiAccountSession answers POST /api/v1/accounts/{id}/session/{start|stop|
// logout|takeover|reload-qr|link-code} with the account after the action;
// link-code takes {"phone"} and adds "link_code".
func (s *Server) apiAccountSession(c *gin.Context) {
	wa, ok := s.accountSession(c, c.Param("id"))
	if !ok {
		return
	}
	action := c.Param("action")
	if action == "link-code" {
		var b struct {
			Phone string `json:"phone"`
		}
		if !decodeJSON(c, &b) {
			return
		}
		num, err := phone.Normalize(b.Phone, s.cfg.DefaultRegion)
		if err != nil {
			apiError(c, http.StatusUnprocessableEntity, "phone: "+err.Error())
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), 60*time.Second)
		defer cancel()
		code, err := wa.RequestLinkCode(ctx, num)
		if err != nil {
			apiError(c, http.StatusConflict, err.Error())
			return
		}
		a, err := s.accountWithSends(c, c.Param("id"))
		if err != nil {
			s.accountError(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"link_code": code, "account": a})
		return
	}
	known, err := runSessionAction(c.Request.Context(), wa, action)
	if !known {
		apiError(c, http.StatusNotFound, "unknown session action; use start, stop, logout, takeover, reload-qr or link-code")
		return
	}
	if err != nil {
		apiError(c, http.StatusConflict, err.Error())
		return
	}
	s.apiAccountGet(c)
}
