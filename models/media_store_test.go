package models_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestMediaStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		sum := "ab" + string(bytes.Repeat([]byte("0"), 62))
		m := &models.Media{SHA256: sum, Kind: models.MediaPhoto, MimeType: "image/png", Size: 1234, Name: "Diwali offer.png", Width: 640, Height: 480}
		created, err := s.CreateMedia(ctx, m)
		if err != nil || !created || len(m.ID) != 36 {
			t.Fatalf("create = %v, %v, id %q", created, err, m.ID)
		}
		// The same content again is the same row.
		again := &models.Media{SHA256: sum, Kind: models.MediaPhoto, MimeType: "image/png", Size: 1234, Name: "copy.png"}
		created, err = s.CreateMedia(ctx, again)
		if err != nil || created || again.ID != m.ID || again.Name != "Diwali offer.png" {
			t.Fatalf("second create = %v, %v, %+v", created, err, again)
		}
		got, err := s.GetMedia(ctx, m.ID)
		if err != nil || got.Width != 640 || got.Size != 1234 || got.SHA256 != sum {
			t.Fatalf("get = %+v, %v", got, err)
		}
		if _, err := s.GetMedia(ctx, "nope"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("get bad id: %v", err)
		}
		doc := &models.Media{SHA256: "cd" + sum[2:], Kind: models.MediaDocument, MimeType: "application/pdf", Size: models.MediaChunkSize + 1, Name: "prices.pdf"}
		if _, err := s.CreateMedia(ctx, doc); err != nil {
			t.Fatal(err)
		}
		items, total, err := s.ListMedia(ctx, models.MediaQuery{})
		if err != nil || total != 2 || len(items) != 2 || items[0].ID != doc.ID {
			t.Fatalf("list = %d items, total %d, %v", len(items), total, err)
		}

		// Chunks: both files lack theirs until they are written.
		missing, err := s.MediaWithoutChunks(ctx)
		if err != nil || len(missing) != 2 {
			t.Fatalf("without chunks = %d, %v", len(missing), err)
		}
		big := bytes.Repeat([]byte{0xff, 0x00, 'x'}, models.MediaChunkSize/3+1)[:models.MediaChunkSize]
		if err := s.PutMediaChunks(ctx, doc.SHA256, 0, [][]byte{big}); err != nil {
			t.Fatal(err)
		}
		// Already stored chunks are left as they are.
		if err := s.PutMediaChunks(ctx, doc.SHA256, 0, [][]byte{[]byte("other"), big[:1]}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutMediaChunks(ctx, doc.SHA256, 2, [][]byte{append(big, 1)}); err == nil {
			t.Fatal("a chunk over the size was stored")
		}
		b, err := s.MediaChunk(ctx, doc.SHA256, 0)
		if err != nil || !bytes.Equal(b, big) {
			t.Fatalf("chunk 0 = %d bytes, %v", len(b), err)
		}
		if _, err := s.MediaChunk(ctx, doc.SHA256, 2); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("chunk 2: %v", err)
		}
		missing, _ = s.MediaWithoutChunks(ctx)
		if len(missing) != 1 || missing[0].ID != m.ID {
			t.Fatalf("without chunks = %+v", missing)
		}

		// A file an unfinished campaign uses stays; a finished one lets it go.
		camp := &models.Campaign{Name: "Diwali", Template: "Hello {{name}}"}
		if err := s.CreateCampaign(ctx, camp); err != nil {
			t.Fatal(err)
		}
		if err := testdb.Gorm(s).Exec(`INSERT INTO campaign_media (campaign_id, media_id, position) VALUES (?, ?, 1)`, camp.ID, doc.ID).Error; err != nil {
			t.Fatal(err)
		}
		for _, state := range []string{models.CampaignDraft, models.CampaignScheduled, models.CampaignRunning, models.CampaignPaused} {
			testdb.Gorm(s).Exec(`UPDATE campaigns SET state = ? WHERE id = ?`, state, camp.ID)
			_, err := s.DeleteMedia(ctx, doc.ID)
			var inUse *models.MediaInUseError
			if !errors.As(err, &inUse) || len(inUse.Campaigns) != 1 || inUse.Campaigns[0] != "Diwali" {
				t.Fatalf("delete while the campaign is %s: %v", state, err)
			}
		}
		if _, err := s.GetMedia(ctx, doc.ID); err != nil {
			t.Fatalf("the refused delete lost the file: %v", err)
		}
		testdb.Gorm(s).Exec(`UPDATE campaigns SET state = ? WHERE id = ?`, models.CampaignCompleted, camp.ID)
		gone, err := s.DeleteMedia(ctx, doc.ID)
		if err != nil || gone.SHA256 != doc.SHA256 {
			t.Fatalf("delete after the campaign completed: %+v, %v", gone, err)
		}
		var links, chunks int64
		testdb.Gorm(s).Raw(`SELECT COUNT(*) FROM campaign_media`).Scan(&links)
		testdb.Gorm(s).Raw(`SELECT COUNT(*) FROM media_chunks`).Scan(&chunks)
		if links != 0 || chunks != 0 {
			t.Fatalf("after delete: %d links, %d chunks left", links, chunks)
		}
		if _, err := s.DeleteMedia(ctx, doc.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}
	})
}
