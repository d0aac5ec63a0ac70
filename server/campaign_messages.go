package server

import (
	"cmp"
	"context"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
)

// messageParts lists a recipient's messages as planned, each with what
// became of it: its row once it was attempted, "pending" before. A
// text-only campaign's recipient is its one message.
type messageParts struct {
	cp    *models.Campaign
	files []models.Media
	names map[string]string // media id → file name
}

func (s *Server) newMessageParts(ctx context.Context, cp *models.Campaign) (*messageParts, error) {
	files, err := s.store.CampaignMedia(ctx, cp.ID)
	if err != nil {
		return nil, err
	}
	p := &messageParts{cp: cp, files: files, names: map[string]string{}}
	for _, m := range files {
		p.names[m.ID] = m.Name
	}
	return p, nil
}

// wanted reports whether a request asked for the messages (?messages=1).
func messagesWanted(c *gin.Context) bool { return c.Query("messages") == "1" }

// of returns r's messages in order.
func (p *messageParts) of(r *models.Recipient, rows []models.Message) []models.Message {
	if len(p.files) == 0 {
		return []models.Message{{Seq: r.Seq, Run: r.Run, Kind: models.MessageText, Body: r.Body, State: r.State, MessageID: r.MessageID,
			Error: r.Error, SentAt: r.SentAt, DeliveredAt: r.DeliveredAt, ReadAt: r.ReadAt}}
	}
	planned := campaign.PlanMessages(p.cp.CaptionMode, r.Body, p.files)
	out := make([]models.Message, len(planned))
	for i, pm := range planned {
		out[i] = models.Message{Seq: r.Seq, Part: i, Run: r.Run, Kind: pm.Kind, Body: pm.Text, State: models.RecipientPending}
		if pm.Media != nil {
			out[i].MediaID = pm.Media.ID
		}
	}
	for _, row := range rows {
		if row.Part < len(out) {
			out[row.Part] = row
		}
	}
	return out
}

// fileName is the name of a message's file ("" for text).
func (p *messageParts) fileName(m models.Message) string { return p.names[m.MediaID] }

// messageExportHeader names the columns of a per-message export.
var messageExportHeader = []string{"#", "name", "phone", "message", "kind", "file", "state", "run", "message_id", "error", "sent_at", "delivered_at", "read_at", "text", "account"}

func (p *messageParts) exportRows(r *models.Recipient, rows []models.Message, masked bool) [][]string {
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	var out [][]string
	for _, m := range p.of(r, rows) {
		row := []string{strconv.FormatInt(r.Seq, 10), r.Name, r.Phone, strconv.Itoa(m.Part + 1), m.Kind, p.fileName(m), m.State,
			strconv.Itoa(m.Run), m.MessageID, m.Error, ts(m.SentAt), ts(m.DeliveredAt), ts(m.ReadAt), m.Body}
		if masked {
			row[1], row[2], row[9], row[13] = phone.MaskText(row[1]), phone.Masked(row[2]), phone.MaskText(row[9]), phone.MaskText(row[13])
		}
		for i := range row {
			if i != 2 {
				row[i] = neutralizeCell(row[i])
			}
		}
		out = append(out, row)
	}
	return out
}

// eachExportRow calls fn with the export's header, then with each row: one
// per recipient, or with messages one per message of each recipient;
// masked hides the numbers (a viewer who may not see them).
func (s *Server) eachExportRow(ctx context.Context, cp *models.Campaign, states []string, messages, masked bool, fn func([]string) error) error {
	accounts, err := s.store.ListWhatsAppAccounts(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, a := range accounts {
		names[a.ID] = cmp.Or(a.Name, a.ID)
	}
	account := func(r *models.Recipient) string {
		if r.AccountID == "" {
			return ""
		}
		return neutralizeCell(cmp.Or(names[r.AccountID], r.AccountID))
	}
	if !messages {
		if err := fn(exportHeader); err != nil {
			return err
		}
		return s.store.EachRecipient(ctx, cp.ID, states, func(r *models.Recipient) error { return fn(append(exportRow(r, masked), account(r))) })
	}
	parts, err := s.newMessageParts(ctx, cp)
	if err != nil {
		return err
	}
	if err := fn(messageExportHeader); err != nil {
		return err
	}
	return s.store.EachRecipient(ctx, cp.ID, states, func(r *models.Recipient) error {
		var rows []models.Message
		if len(parts.files) > 0 {
			if rows, err = s.store.RecipientMessages(ctx, cp.ID, r.Seq); err != nil {
				return err
			}
		}
		for _, row := range parts.exportRows(r, rows, masked) {
			if err := fn(append(row, account(r))); err != nil {
				return err
			}
		}
		return nil
	})
}

// recipientWithMessages is a recipient with each of its messages.
type recipientWithMessages struct {
	models.Recipient
	Messages []messageJSON `json:"messages"`
}

// messageJSON is one message with its file's name.
type messageJSON struct {
	models.Message
	FileName string `json:"file_name,omitempty"`
}

// recipientsWithMessages adds each recipient's messages to a page of them.
func (s *Server) recipientsWithMessages(ctx context.Context, cp *models.Campaign, items []models.Recipient) ([]recipientWithMessages, error) {
	parts, err := s.newMessageParts(ctx, cp)
	if err != nil {
		return nil, err
	}
	rows := map[int64][]models.Message{}
	if len(parts.files) > 0 {
		seqs := make([]int64, len(items))
		for i, r := range items {
			seqs[i] = r.Seq
		}
		if rows, err = s.store.MessagesOfRecipients(ctx, cp.ID, seqs); err != nil {
			return nil, err
		}
	}
	out := make([]recipientWithMessages, len(items))
	for i := range items {
		out[i].Recipient = items[i]
		for _, m := range parts.of(&items[i], rows[items[i].Seq]) {
			out[i].Messages = append(out[i].Messages, messageJSON{Message: m, FileName: parts.fileName(m)})
		}
	}
	return out, nil
}
