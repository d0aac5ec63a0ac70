package syncer_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

// newHybridFilesInstall is newHybridInstall with a media library of its
// own (chunks on, as in hybrid mode), so its engine sends files.
func newHybridFilesInstall(t *testing.T, name, cloudURL string, acc *account) *hybridInstall {
	t.Helper()
	target, err := url.Parse(cloudURL)
	if err != nil {
		t.Fatal(err)
	}
	px := testdb.NewProxy(t, target.Host)
	via := *target
	via.Host = px.Addr()
	in := &hybridInstall{name: name, store: testdb.SQLite(t), px: px, url: via.String(), acc: acc}
	in.files = media.New(in.store, media.Options{Dir: t.TempDir(), Chunks: true})
	in.start(t)
	t.Cleanup(in.stop)
	return in
}

// TestHybridCampaignWithFilesTakeover: a campaign with a captioned photo
// and a PDF, made and started on install A, which crashes offline part
// way through (its last results still in its outbox). B, which got the
// files as chunks through the cloud, takes the campaign over, settles the
// recipient A left between its photo and its PDF from the chat, and
// finishes. Every recipient has the photo with its caption and the PDF,
// once each, exact bytes; the ledger has one row per message.
func TestHybridCampaignWithFilesTakeover(t *testing.T) {
	logrus.SetLevel(logrus.ErrorLevel)
	t.Cleanup(func() { logrus.SetLevel(logrus.InfoLevel) })
	ctx := context.Background()
	cloudURL := testdb.PostgresURL(t)
	cloud, err := testdb.Open(ctx, models.OpenOptions{DatabaseURL: cloudURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	// A hangs on the fifth message, a recipient's photo (the photo, then
	// the PDF, for each): WhatsApp has it, A has not recorded it.
	acc := &account{chats: map[string][]campaign.OutgoingMessage{}, by: map[string]int{}, first: map[string]time.Time{},
		holdAt: 5, holdInstall: "A", held: make(chan struct{})}
	a := newHybridFilesInstall(t, "A", cloudURL, acc)
	b := newHybridFilesInstall(t, "B", cloudURL, acc)

	photo, _, err := a.files.Save(ctx, "offer.png", bytes.NewReader(mediatest.PNG(200, 150)))
	if err != nil {
		t.Fatal(err)
	}
	pdf, _, err := a.files.Save(ctx, "Prices.pdf", bytes.NewReader(mediatest.PDF(70<<10)))
	if err != nil {
		t.Fatal(err)
	}
	const recipients = 12
	c := prepareCampaign(t, a, recipients)
	c.MediaIDs, c.CaptionMode = []string{photo.ID, pdf.ID}, models.CaptionFirstFile
	if err := a.store.UpdateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "B receives the campaign and its files", func() (bool, string) {
		got, err := b.store.GetCampaign(ctx, c.ID)
		if err != nil || len(got.MediaIDs) != 2 {
			return false, fmt.Sprint(got, err)
		}
		for _, m := range []*models.Media{photo, pdf} {
			f, err := b.files.Open(ctx, m)
			if err != nil {
				return false, err.Error()
			}
			f.Close()
		}
		return true, ""
	})
	if _, err := a.engine.Start(ctx, c.ID); err != nil {
		t.Fatalf("start on A: %v", err)
	}
	eventually(t, 20*time.Second, "the cloud has the plan", func() (bool, string) {
		return campaignState(cloud, c.ID) == models.CampaignRunning && len(recipientRows(t, cloud, c.ID)) == recipients, campaignState(cloud, c.ID)
	})
	// Crash A offline the moment a recipient has its photo but not its PDF.
	select {
	case <-acc.held:
	case <-time.After(30 * time.Second):
		t.Fatal("A never sent its fifth message")
	}
	a.px.Cut()
	a.stop()
	eventually(t, 60*time.Second, "B finishes the campaign", func() (bool, string) {
		st := campaignState(b.store, c.ID)
		return st == models.CampaignCompleted, st + " on B"
	})
	a.px.Restore()
	a.start(t)
	eventually(t, 30*time.Second, "A, B and the cloud agree", func() (bool, string) {
		ra, rb, rc := recipientRows(t, a.store, c.ID), recipientRows(t, b.store, c.ID), recipientRows(t, cloud, c.ID)
		if outboxLen(t, a.store)+outboxLen(t, b.store) > 0 || fmt.Sprint(ra) != fmt.Sprint(rc) || fmt.Sprint(rb) != fmt.Sprint(rc) {
			return false, fmt.Sprintf("A %v\nB %v\ncloud %v", ra, rb, rc)
		}
		return true, ""
	})

	acc.mu.Lock()
	defer acc.mu.Unlock()
	recs, err := cloud.RecipientsInState(ctx, c.ID, models.RecipientSent)
	if err != nil || len(recs) != recipients {
		t.Fatalf("%d of %d recipients sent (%v)", len(recs), recipients, err)
	}
	for _, r := range recs {
		msgs := acc.chats[r.Phone]
		if len(msgs) != 2 {
			t.Errorf("%s got %d messages, want the photo and the PDF: %+v", r.Phone, len(msgs), msgs)
			continue
		}
		p, d := msgs[0], msgs[1]
		if p.Media != models.MediaPhoto || p.Text != r.Body || acc.sha[p.ID] != photo.SHA256 {
			t.Errorf("%s's first message: %+v, want the photo captioned %q", r.Phone, p, r.Body)
		}
		if d.Media != models.MediaDocument || d.FileName != "Prices.pdf" || d.Text != "" || acc.sha[d.ID] != pdf.SHA256 {
			t.Errorf("%s's second message: %+v, want the PDF", r.Phone, d)
		}
		parts, err := cloud.RecipientMessages(ctx, c.ID, r.Seq)
		if err != nil || len(parts) != 2 || parts[0].MessageID != p.ID || parts[1].MessageID != d.ID {
			t.Errorf("%s: the cloud records %+v (%v), the chat shows %s and %s", r.Phone, parts, err, p.ID, d.ID)
		}
	}
	sends, repeated, err := cloud.SendLedger(ctx, c.ID)
	if err != nil || repeated != 0 || sends > 2*recipients {
		t.Errorf("the cloud's ledger: %d sends, %d repeated, %v; want at most %d and none repeated", sends, repeated, err, 2*recipients)
	}
	t.Logf("A sent %d messages, B %d; the ledger holds %d (a message settled from the chat has no ledger row of its own)", acc.by["A"], acc.by["B"], sends)
}
