package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
)

// sentMessage is one message of a single send with files.
type sentMessage struct {
	Kind    string `json:"kind"`               // photo, video or document
	MediaID string `json:"media_id,omitempty"` // the file sent
	SendOutcome
}

// checkSendFiles loads the files of a single send and refuses, before
// anything is sent, what cannot go: unknown ids, more than
// models.MaxCampaignFiles, a file over its limit or missing on this install.
func (s *Server) checkSendFiles(ctx context.Context, ids []string) ([]*models.Media, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: media_ids is empty; leave it out to send text only", errMessageInput)
	}
	if len(ids) > models.MaxCampaignFiles {
		return nil, fmt.Errorf("%w: media_ids: at most %d files can be sent at once; %d were given", errMessageInput, models.MaxCampaignFiles, len(ids))
	}
	out := make([]*models.Media, 0, len(ids))
	for _, id := range ids {
		m, err := s.store.GetMedia(ctx, id)
		if errors.Is(err, models.ErrNotFound) {
			return nil, fmt.Errorf("%w: media_ids: no file with id %q in the media library", errMessageInput, id)
		}
		if err != nil {
			return nil, err
		}
		if m.Kind != models.MediaDocument && m.Size > media.PhotoVideoMax {
			return nil, fmt.Errorf("%w: %q is a %s over WhatsApp's 16 MB limit", errMessageInput, m.Name, m.Kind)
		}
		f, err := s.media.Open(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("%w: the file %q is missing on this install: %v", errMessageInput, m.Name, err)
		}
		f.Close()
		out = append(out, m)
	}
	return out, nil
}

// apiMessageSendFiles sends files to one number, one message per file, the
// text as the first file's caption, and stops at the first that does not
// go out. The answer lists each message sent or tried: 200 when all went,
// else the status of the one that did not (as for a text).
func (s *Server) apiMessageSendFiles(c *gin.Context, wa WhatsApp, rawPhone, text string, ids []string) {
	ctx := c.Request.Context()
	num, err := phone.Normalize(rawPhone, s.cfg.DefaultRegion)
	if err != nil {
		apiError(c, http.StatusUnprocessableEntity, "message: phone: "+err.Error())
		return
	}
	if n := utf8.RuneCountInString(text); n > MaxMessageLen {
		apiError(c, http.StatusUnprocessableEntity, fmt.Sprintf("message: text is %d characters; WhatsApp allows %d", n, MaxMessageLen))
		return
	}
	files, err := s.checkSendFiles(ctx, ids)
	if errors.Is(err, errMessageInput) {
		apiError(c, http.StatusUnprocessableEntity, err.Error())
		return
	}
	if err != nil {
		apiStoreError(c, err)
		return
	}
	msgs := make([]sentMessage, 0, len(files))
	for i, m := range files {
		f, err := s.media.Open(ctx, m)
		if err != nil {
			apiError(c, http.StatusUnprocessableEntity, fmt.Sprintf("message: the file %q is missing on this install: %v", m.Name, err))
			return
		}
		f.Close()
		caption := ""
		if i == 0 {
			caption = text
		}
		sctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
		out, err := wa.SendFile(sctx, num, OutgoingFile{Path: f.Name(), Name: m.Name, Kind: m.Kind, Caption: caption})
		cancel()
		if err != nil {
			status := http.StatusBadGateway
			if st := wa.Status().State; st != "ready" {
				status = http.StatusServiceUnavailable
			}
			c.JSON(status, gin.H{"error": fmt.Sprintf("file %d of %d (%q): %v", i+1, len(files), m.Name, err), "messages": msgs})
			return
		}
		msgs = append(msgs, sentMessage{Kind: m.Kind, MediaID: m.ID, SendOutcome: out})
		switch out.Status {
		case "sent":
			continue
		case "invalid_number":
			c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "the number is not on WhatsApp; nothing was sent", "status": out.Status, "messages": msgs})
		default:
			c.JSON(http.StatusBadGateway, gin.H{"error": fmt.Sprintf("file %d of %d (%q) was not sent: %s", i+1, len(files), m.Name, out.Reason), "status": out.Status, "messages": msgs})
		}
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "sent", "messages": msgs})
}
