package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/phone"
)

// MaxMessageLen is the longest text WhatsApp accepts in one message.
const MaxMessageLen = 4096

// errMessageInput is a test message a person must correct.
var errMessageInput = errors.New("message")

// sendNow validates and sends one message through the first account,
// bounded in time.
func (s *Server) sendNow(ctx context.Context, rawPhone, text string) (SendOutcome, error) {
	return s.sendThrough(ctx, s.wa, rawPhone, text)
}

// sendThrough is sendNow through the session wa.
func (s *Server) sendThrough(ctx context.Context, wa WhatsApp, rawPhone, text string) (SendOutcome, error) {
	num, err := phone.Normalize(rawPhone, s.cfg.DefaultRegion)
	if err != nil {
		return SendOutcome{}, fmt.Errorf("%w: phone: %w", errMessageInput, err)
	}
	if strings.TrimSpace(text) == "" {
		return SendOutcome{}, fmt.Errorf("%w: text is required", errMessageInput)
	}
	if n := utf8.RuneCountInString(text); n > MaxMessageLen {
		return SendOutcome{}, fmt.Errorf("%w: text is %d characters; WhatsApp allows %d", errMessageInput, n, MaxMessageLen)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	return wa.SendText(ctx, num, text)
}

// messageSend handles the WhatsApp page's "send a test message" form.
func (s *Server) messageSend(c *gin.Context) {
	if s.wa == nil {
		flash(c, "error", "The WhatsApp driver is not available: "+s.waOffReason)
		redirect(c, "/whatsapp")
		return
	}
	out, err := s.sendNow(c.Request.Context(), c.PostForm("phone"), strings.ReplaceAll(c.PostForm("text"), "\r\n", "\n"))
	switch {
	case err != nil:
		flash(c, "error", err.Error())
	case out.Status == "sent":
		flash(c, "notice", "Message sent.")
	case out.Status == "invalid_number":
		flash(c, "error", "That number is not on WhatsApp; nothing was sent.")
	default:
		flash(c, "error", "The message was not sent: "+out.Reason)
	}
	redirect(c, "/whatsapp")
}

// apiMessageSend answers POST /api/v1/messages
// {"phone","text","account_id","media_ids"} (account_id optional: the first
// account): 200 with the outcome when sent, 422 for bad input or a number
// not on WhatsApp, 503 when the session is not ready, 502 when the send
// failed. With media_ids the files go one by one, the text as the first
// one's caption, and the answer lists each message (see apiMessageSendFiles).
func (s *Server) apiMessageSend(c *gin.Context) {
	if s.wa == nil {
		apiError(c, http.StatusServiceUnavailable, "the WhatsApp driver is not available: "+s.waOffReason)
		return
	}
	var b struct {
		Phone     string   `json:"phone"`
		Text      string   `json:"text"`
		AccountID string   `json:"account_id"`
		MediaIDs  []string `json:"media_ids"`
	}
	if !decodeJSON(c, &b) {
		return
	}
	wa := s.wa
	if b.AccountID != "" {
		var ok bool
		if wa, ok = s.accountSession(c, b.AccountID); !ok {
			return
		}
	}
	if b.MediaIDs != nil {
		s.apiMessageSendFiles(c, wa, b.Phone, b.Text, b.MediaIDs)
		return
	}
	out, err := s.sendThrough(c.Request.Context(), wa, b.Phone, b.Text)
	switch {
	case errors.Is(err, errMessageInput):
		apiError(c, http.StatusUnprocessableEntity, err.Error())
	case err != nil:
		status := http.StatusBadGateway
		if st := wa.Status().State; st != "ready" {
			status = http.StatusServiceUnavailable
		}
		apiError(c, status, err.Error())
	case out.Status == "invalid_number":
		c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "the number is not on WhatsApp; nothing was sent", "status": out.Status})
	case out.Status != "sent":
		c.JSON(http.StatusBadGateway, gin.H{"error": "not sent: " + out.Reason, "status": out.Status})
	default:
		c.JSON(http.StatusOK, out)
	}
}
