package models_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestDuplicateCampaign(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		var a, b models.Contact
		(models.ContactInput{Phone: "9876543210", Name: "A"}).Apply(&a, "IN")
		(models.ContactInput{Phone: "9876543211", Name: "B"}).Apply(&b, "IN")
		s.CreateContact(ctx, &a)
		s.CreateContact(ctx, &b)
		vip, _ := s.CreateGroup(ctx, "VIP")
		s.AddMembers(ctx, vip.ID, []string{a.ID})
		photo := &models.Media{SHA256: strings.Repeat("a", 64), Kind: models.MediaPhoto, MimeType: "image/png", Size: 10, Name: "offer.png"}
		doc := &models.Media{SHA256: strings.Repeat("b", 64), Kind: models.MediaDocument, MimeType: "application/pdf", Size: 20, Name: "prices.pdf"}
		for _, m := range []*models.Media{photo, doc} {
			if _, err := s.CreateMedia(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		pacing := models.Pacing{Preset: "custom", MinDelayMS: 4000, MaxDelayMS: 9000, DailyCap: 300, QuietStart: "22:00", QuietEnd: "08:00"}
		src := &models.Campaign{Name: "Diwali_50%", Template: "Hello {{name}}", GroupIDs: []string{vip.ID}, ContactIDs: []string{b.ID}, Pacing: pacing}
		if err := s.CreateCampaign(ctx, src); err != nil {
			t.Fatal(err)
		}
		db := testdb.Gorm(s)
		db.Exec(`INSERT INTO campaign_media (campaign_id, media_id, position) VALUES (?, ?, 2), (?, ?, 1)`, src.ID, photo.ID, src.ID, doc.ID)
		// A finished campaign with results: the copy is a fresh draft all the same.
		if _, err := s.PlanRecipients(ctx, src.ID, func(c *models.Contact) (string, error) { return "Hello " + c.Name, nil }); err != nil {
			t.Fatal(err)
		}
		db.Exec(`UPDATE campaigns SET state = ?, last_error = 'boom' WHERE id = ?`, models.CampaignCompleted, src.ID)

		cp, err := s.DuplicateCampaign(ctx, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cp.ID == src.ID || cp.Name != "Diwali_50% (copy)" || cp.State != models.CampaignDraft || cp.Template != src.Template ||
			cp.Pacing != pacing || cp.Run != 0 || cp.Planned != 0 || cp.LastError != "" || cp.StartedAt != nil {
			t.Fatalf("copy = %+v", cp)
		}
		if len(cp.GroupIDs) != 1 || cp.GroupIDs[0] != vip.ID || len(cp.ContactIDs) != 1 || cp.ContactIDs[0] != b.ID {
			t.Fatalf("copy's audience = groups %v contacts %v", cp.GroupIDs, cp.ContactIDs)
		}
		var files []struct {
			MediaID  string
			Position int
		}
		db.Raw(`SELECT media_id, position FROM campaign_media WHERE campaign_id = ? ORDER BY position`, cp.ID).Scan(&files)
		if len(files) != 2 || files[0].MediaID != doc.ID || files[0].Position != 1 || files[1].MediaID != photo.ID || files[1].Position != 2 {
			t.Fatalf("copy's files = %+v", files)
		}
		var recipients int64
		db.Raw(`SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ?`, cp.ID).Scan(&recipients)
		if recipients != 0 {
			t.Fatalf("the copy has %d recipients; want none until it starts", recipients)
		}
		// The source is untouched.
		again, _ := s.GetCampaign(ctx, src.ID)
		if again.State != models.CampaignCompleted || again.Name != "Diwali_50%" || len(again.GroupIDs) != 1 {
			t.Fatalf("source after copy = %+v", again)
		}

		// Names: the next copies, of the source or of a copy, take the next free number;
		// "Diwali_50 (copy)" style look-alikes (LIKE wildcards) do not count.
		lookalike := &models.Campaign{Name: "Diwali-50x (copy 2)", Template: "x"}
		s.CreateCampaign(ctx, lookalike)
		want := []struct{ from, name string }{
			{src.ID, "Diwali_50% (copy 2)"},
			{cp.ID, "Diwali_50% (copy 3)"},
			{src.ID, "Diwali_50% (copy 4)"},
		}
		for _, w := range want {
			got, err := s.DuplicateCampaign(ctx, w.from)
			if err != nil || got.Name != w.name {
				t.Fatalf("copy = %+v, %v; want name %q", got, err, w.name)
			}
		}
		// A name at the length limit still fits with its suffix.
		long := &models.Campaign{Name: strings.Repeat("ह", models.MaxCampaignNameLen), Template: "x"}
		if err := s.CreateCampaign(ctx, long); err != nil {
			t.Fatal(err)
		}
		got, err := s.DuplicateCampaign(ctx, long.ID)
		if err != nil || !strings.HasSuffix(got.Name, " (copy)") || len([]rune(got.Name)) > models.MaxCampaignNameLen {
			t.Fatalf("copy of a long name = %q, %v", got.Name, err)
		}

		// A deleted group is not copied; an unknown campaign is ErrNotFound.
		if err := s.DeleteGroup(ctx, vip.ID); err != nil {
			t.Fatal(err)
		}
		got, err = s.DuplicateCampaign(ctx, src.ID)
		if err != nil || len(got.GroupIDs) != 0 || len(got.ContactIDs) != 1 {
			t.Fatalf("copy after the group was deleted = %+v, %v", got, err)
		}
		for _, id := range []string{models.NewID(), "not-an-id"} {
			if _, err := s.DuplicateCampaign(ctx, id); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("duplicate %q: %v; want ErrNotFound", id, err)
			}
		}
	})
}
