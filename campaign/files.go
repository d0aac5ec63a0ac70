package campaign

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

// Files opens the files campaigns send; *media.Library is one (wired in
// cli). Open rebuilds a file from its synced chunks when its row reached
// this install before its bytes.
type Files interface {
	Open(ctx context.Context, m *models.Media) (*os.File, error)
	// DocumentMax is the largest document accepted, in bytes.
	DocumentMax() int64
}

// part is one message of a recipient of a campaign with files: the text,
// or one file with its caption.
type part struct {
	kind  string        // models.MessageText or the file's kind
	media *models.Media // nil for text
	body  string        // the text or the caption
}

// planParts lists the messages a recipient gets, in the order they are
// sent: with caption mode "separate" the text first (when there is one),
// then the files without captions; otherwise the files, the first one with
// the text as its caption.
func planParts(mode, body string, files []models.Media) []part {
	out := make([]part, 0, len(files)+1)
	if mode == models.CaptionSeparate && strings.TrimSpace(body) != "" {
		out = append(out, part{kind: models.MessageText, body: body})
	}
	for i := range files {
		p := part{kind: files[i].Kind, media: &files[i]}
		if i == 0 && mode != models.CaptionSeparate {
			p.body = body
		}
		out = append(out, p)
	}
	return out
}

// PlannedMessage is one message a contact will receive (for previews).
type PlannedMessage struct {
	Kind  string        // models.MessageText or the file's kind
	Media *models.Media // nil for text
	Text  string        // the text, or the file's caption
}

// PlanMessages lists what a recipient whose rendered text is body gets
// from a campaign sending files in caption mode mode, in order.
func PlanMessages(mode, body string, files []models.Media) []PlannedMessage {
	if len(files) == 0 {
		return []PlannedMessage{{Kind: models.MessageText, Text: body}}
	}
	parts := planParts(mode, body, files)
	out := make([]PlannedMessage, len(parts))
	for i, p := range parts {
		out[i] = PlannedMessage{Kind: p.kind, Media: p.media, Text: p.body}
	}
	return out
}

// checkFiles refuses, before anything is sent, a campaign whose files cannot
// all be sent: more than MaxCampaignFiles, a photo or video over WhatsApp's
// 16 MB, a document over the library's limit, or a file whose bytes are not
// on this install (and cannot be rebuilt from synced chunks).
func (e *Engine) checkFiles(ctx context.Context, id string) ([]models.Media, error) {
	files, err := e.store.CampaignMedia(ctx, id)
	if err != nil || len(files) == 0 {
		return files, err
	}
	if len(files) > models.MaxCampaignFiles {
		return nil, &Error{Status: http.StatusUnprocessableEntity, Message: fmt.Sprintf("This campaign has %d files; at most %d can be sent. Remove some before starting it.", len(files), models.MaxCampaignFiles)}
	}
	if e.files == nil {
		return nil, &Error{Status: http.StatusServiceUnavailable, Message: "This campaign sends files, and the media library is not available here; nothing was sent."}
	}
	for i := range files {
		m := &files[i]
		if m.Kind != models.MediaDocument && m.Size > media.PhotoVideoMax {
			return nil, &Error{Status: http.StatusUnprocessableEntity, Message: fmt.Sprintf("%q is a %s of %.1f MB, over WhatsApp's 16 MB limit for photos and videos: remove it from the campaign or attach a smaller one. Nothing was sent.", m.Name, m.Kind, float64(m.Size)/(1<<20))}
		}
		if m.Kind == models.MediaDocument && m.Size > e.files.DocumentMax() {
			return nil, &Error{Status: http.StatusUnprocessableEntity, Message: fmt.Sprintf("%q is %.1f MB, over the %d MB limit for documents (SAMBAD_MEDIA_MAX_MB): remove it from the campaign or raise the limit. Nothing was sent.", m.Name, float64(m.Size)/(1<<20), e.files.DocumentMax()>>20)}
		}
		f, err := e.files.Open(ctx, m)
		if err != nil {
			return nil, &Error{Status: http.StatusUnprocessableEntity, Message: fmt.Sprintf("The file %q is missing on this install (%v): upload it again or remove it from the campaign. Nothing was sent.", m.Name, err), Err: err}
		}
		f.Close()
	}
	return files, nil
}

// resolveUnknownMessages applies a person's decision to the "unknown"
// messages of a campaign with files. "Sent": the message counts as sent,
// and a recipient with messages still to send goes back to pending, in the
// current run (it returns how many), so it gets the rest and nothing twice.
// "Resend": the message waits to be sent again with its recipient.
func (e *Engine) resolveUnknownMessages(ctx context.Context, c *models.Campaign, to string) (int64, error) {
	files, err := e.store.CampaignMedia(ctx, c.ID)
	if err != nil || len(files) == 0 {
		return 0, err
	}
	if _, err := e.store.ResolveUnknownMessages(ctx, c.ID, to); err != nil || to != models.RecipientSent {
		return 0, err
	}
	recs, err := e.store.RecipientsInState(ctx, c.ID, models.RecipientUnknown)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, r := range recs {
		have, err := e.store.RecipientMessages(ctx, c.ID, r.Seq)
		if err != nil {
			return n, err
		}
		sent := 0
		for _, m := range have {
			if m.Sent() {
				sent++
			}
		}
		if sent >= len(planParts(c.CaptionMode, r.Body, files)) {
			continue // all out: the bulk decision marks it sent
		}
		ok, err := e.store.ReopenRecipient(ctx, c.ID, r.Seq, c.Run)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}
