package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestCampaignFilesAndMessages: a campaign keeps its files in the chosen
// order with its caption mode, refuses unknown files, more than ten and an
// unknown mode; each message of a recipient has its own mark, record,
// ledger row and acks, and the recipient moves on only when all of them
// do. On SQLite, Postgres and pgbouncer.
func TestCampaignFilesAndMessages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		var a models.Contact
		(models.ContactInput{Phone: "9876543210", Name: "A"}).Apply(&a, "IN")
		if err := s.CreateContact(ctx, &a); err != nil {
			t.Fatal(err)
		}
		var files []*models.Media
		for i := 0; i < 11; i++ {
			m := &models.Media{SHA256: strings.Repeat(string(rune('a'+i)), 64), Kind: models.MediaDocument, MimeType: "application/pdf", Size: 10, Name: "f.pdf"}
			if _, err := s.CreateMedia(ctx, m); err != nil {
				t.Fatal(err)
			}
			files = append(files, m)
		}
		ids := func(ms ...*models.Media) []string {
			var out []string
			for _, m := range ms {
				out = append(out, m.ID)
			}
			return out
		}
		for _, tc := range []struct {
			c     models.Campaign
			field string
		}{
			{models.Campaign{MediaIDs: ids(files...)}, "at most 10 files; 11 were chosen"},
			{models.Campaign{MediaIDs: []string{models.NewID()}}, "no file with id"},
			{models.Campaign{MediaIDs: []string{"nope"}}, `"nope" is not a file id`},
			{models.Campaign{CaptionMode: "below"}, `"below" is not a caption mode`},
			{models.Campaign{Template: " "}, "template: is required"},
		} {
			c := tc.c
			c.Name = "bad"
			if c.Template == "" {
				c.Template = "Hi"
			}
			c.ContactIDs = []string{a.ID}
			err := s.CreateCampaign(ctx, &c)
			var ve *models.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("create %+v: %v, want a validation error with %q", tc.c, err, tc.field)
			}
		}
		// Only files: the message may be empty.
		c := &models.Campaign{Name: "Files", Template: "", ContactIDs: []string{a.ID}, MediaIDs: ids(files[2], files[0], files[1]), CaptionMode: models.CaptionSeparate}
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetCampaign(ctx, c.ID)
		if err != nil || strings.Join(got.MediaIDs, ",") != strings.Join(ids(files[2], files[0], files[1]), ",") || got.CaptionMode != models.CaptionSeparate {
			t.Fatalf("stored %v %q, %v", got.MediaIDs, got.CaptionMode, err)
		}
		got.MediaIDs, got.CaptionMode, got.Template = ids(files[1], files[2]), "", "Hi {{name}}"
		if err := s.UpdateCampaign(ctx, got); err != nil {
			t.Fatal(err)
		}
		if ms, _ := s.CampaignMedia(ctx, c.ID); len(ms) != 2 || ms[0].ID != files[1].ID || ms[1].ID != files[2].ID {
			t.Fatalf("files after the edit: %+v", ms)
		}
		if got, _ = s.GetCampaign(ctx, c.ID); got.CaptionMode != models.CaptionFirstFile {
			t.Fatalf("caption mode after an edit without one: %q", got.CaptionMode)
		}
		// A file an unfinished campaign uses cannot be deleted.
		var inUse *models.MediaInUseError
		if _, err := s.DeleteMedia(ctx, files[1].ID); !errors.As(err, &inUse) {
			t.Fatalf("delete a file in use: %v", err)
		}

		if _, err := s.PlanRecipients(ctx, c.ID, func(*models.Contact) (string, error) { return "Hi A", nil }); err != nil {
			t.Fatal(err)
		}
		recs, err := s.ClaimPending(ctx, c.ID, 1, 1)
		if err != nil || len(recs) != 1 {
			t.Fatalf("claim: %v %v", recs, err)
		}
		seq := recs[0].Seq
		now := time.Now()
		m0 := models.Message{CampaignID: c.ID, Seq: seq, Part: 0, Run: 1, Kind: models.MediaDocument, MediaID: files[1].ID, Body: "Hi A"}
		if err := s.StartMessage(ctx, m0); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordMessage(ctx, c.ID, seq, 0, models.Outcome{Seq: seq, State: models.RecipientSent, MessageID: "m-0", At: now}, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.StartMessage(ctx, m0); !errors.Is(err, models.ErrMessageSent) {
			t.Fatalf("a sent message marked sending again: %v", err)
		}
		m1 := models.Message{CampaignID: c.ID, Seq: seq, Part: 1, Run: 1, Kind: models.MediaDocument, MediaID: files[2].ID}
		if err := s.StartMessage(ctx, m1); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountStates(ctx, c.ID, 0); n[models.RecipientSending] != 1 {
			t.Fatalf("after one of two messages the recipient is not sending: %v", n)
		}
		done := models.Outcome{Seq: seq, State: models.RecipientSent, At: now}
		if err := s.RecordMessage(ctx, c.ID, seq, 1, models.Outcome{Seq: seq, State: models.RecipientSent, MessageID: "m-1", At: now}, &done); err != nil {
			t.Fatal(err)
		}
		msgs, err := s.RecipientMessages(ctx, c.ID, seq)
		if err != nil || len(msgs) != 2 || msgs[0].MessageID != "m-0" || msgs[1].MessageID != "m-1" || msgs[1].State != models.RecipientSent || msgs[1].SentAt == nil {
			t.Fatalf("messages %+v, %v", msgs, err)
		}
		if sends, repeated, err := s.SendLedger(ctx, c.ID); err != nil || sends != 2 || repeated != 0 {
			t.Fatalf("ledger %d %d %v", sends, repeated, err)
		}
		state := func() string {
			rs, _, _ := s.ListRecipients(ctx, models.RecipientQuery{CampaignID: c.ID})
			return rs[0].State
		}
		if state() != models.RecipientSent {
			t.Fatalf("recipient %s after both messages", state())
		}
		// Acks: the recipient is read only when both messages are.
		for _, step := range []struct{ id, ack, want string }{
			{"m-1", models.RecipientRead, models.RecipientSent},
			{"m-0", models.RecipientDelivered, models.RecipientDelivered},
			{"m-0", models.RecipientRead, models.RecipientRead},
		} {
			cid, err := s.ApplyAck(ctx, step.id, step.ack, now)
			if err != nil || cid != c.ID {
				t.Fatalf("ack %s %s: %q, %v", step.id, step.ack, cid, err)
			}
			if got := state(); got != step.want {
				t.Fatalf("after %s %s the recipient is %s, want %s", step.id, step.ack, got, step.want)
			}
		}
		// A late ack for a message that moved already still names its campaign.
		if cid, err := s.ApplyAck(ctx, "m-1", models.RecipientDelivered, now); err != nil || cid != c.ID {
			t.Fatalf("late ack: %q, %v", cid, err)
		}
		// Reconciliation's write never undoes a sent message.
		if err := s.PutMessage(ctx, models.Message{CampaignID: c.ID, Seq: seq, Part: 1, Run: 1, Kind: models.MediaDocument, State: models.RecipientPending}); err != nil {
			t.Fatal(err)
		}
		if msgs, _ = s.RecipientMessages(ctx, c.ID, seq); msgs[1].State != models.RecipientRead {
			t.Fatalf("a read message became %s", msgs[1].State)
		}
	})
}
