package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/models"
)

// filesRecipients is how many recipients the campaign with files has: short
// in `make test`, more with SAMBAD_SOAK=1.
func filesRecipients() int {
	if os.Getenv("SAMBAD_SOAK") != "" {
		return 40
	}
	return 10
}

// TestServeCampaignWithFilesKill9 is issue 10's "done when": a campaign with
// a photo, a PDF and a personalised caption runs through the real binary,
// real Chromium and the simulator (its compose and attach timings on), and
// Sambad is killed with SIGKILL twice in the middle, each time the moment
// WhatsApp took a recipient's photo and before its PDF. Every recipient
// must in the end have exactly one photo with its exact caption and one
// PDF under its name, with exactly the bytes uploaded, in that order.
func TestServeCampaignWithFilesKill9(t *testing.T) {
	n := filesRecipients()
	dir := shortTempDir(t, "files")
	exe := sambadBinary(t)
	sim, simURL := startSimulator(t)
	sim.ReportSeedOnFailure(t)
	dataDir := filepath.Join(dir, "data")

	child := startServeChild(t, exe, dataDir, simURL)
	st := child.session(t, "qr", false, 90*time.Second)
	if st.QR == nil {
		child.fatal(t, "session in qr without a payload: %+v", st)
	}
	if err := sim.ScanRef(*st.QR); err != nil {
		t.Fatalf("scan: %v", err)
	}
	child.session(t, "ready", false, 60*time.Second)

	photo := mediatest.JPEG(640, 480)
	pdf := mediatest.PDF(60 << 10)
	photoID := child.uploadMedia(t, "Diwali offer.jpg", photo)
	pdfID := child.uploadMedia(t, "Price list 2026.pdf", pdf)
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

	var ids []string
	caption := map[string]string{}
	for i := range n {
		name := fmt.Sprintf("Asha %02d", i)
		var ct struct {
			ID string `json:"id"`
		}
		child.api(t, http.MethodPost, "/api/v1/contacts", map[string]any{"phone": fmt.Sprintf("+91 98762 %05d", i), "name": name}, &ct)
		ids = append(ids, ct.ID)
		caption[fmt.Sprintf("9198762%05d", i)] = "Namaste " + name + ", our Diwali offer 🪔 and the price list"
	}
	var g struct {
		ID string `json:"id"`
	}
	child.api(t, http.MethodPost, "/api/v1/groups", map[string]any{"name": "Files"}, &g)
	child.api(t, http.MethodPost, "/api/v1/groups/"+g.ID+"/members", map[string]any{"contact_ids": ids}, nil)
	var cp campaignView
	child.api(t, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": "Diwali with files", "template": "Namaste {{name}}, our Diwali offer 🪔 and the price list", "group_ids": []string{g.ID},
		"media_ids": []string{photoID, pdfID}, "caption_mode": "first_file",
		"pacing": map[string]any{"min_delay_ms": 100, "max_delay_ms": 200},
	}, &cp)
	child.api(t, http.MethodPost, "/api/v1/campaigns/"+cp.ID+"/start", nil, nil)

	started := time.Now()
	// Kill when WhatsApp holds an odd number of the campaign's messages: a
	// recipient's photo went, its PDF not yet.
	for k, at := range []int{2*(n/4) + 1, 2*(3*n/4) + 1} {
		deadline := time.Now().Add(time.Duration(n) * 20 * time.Second)
		for len(ledgerFor(sim.Ledger(), "9198762")) < at {
			if time.Now().After(deadline) {
				child.fatal(t, "kill %d: WhatsApp never received %d messages of the campaign", k+1, at)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if err := child.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-child.exited
		t.Logf("kill %d: SIGKILL with %d messages of the campaign at WhatsApp", k+1, len(ledgerFor(sim.Ledger(), "9198762")))
		child = startServeChild(t, exe, dataDir, simURL)
		child.session(t, "ready", true, 90*time.Second)
	}
	v := child.waitCampaign(t, cp.ID, time.Duration(n)*30*time.Second, "finished", func(v campaignView) bool {
		return v.State == models.CampaignCompleted || v.State == models.CampaignStopped || v.State == models.CampaignFailed ||
			(v.State == models.CampaignPaused && v.PauseReason != models.PauseShutdown)
	})
	checkFilesOncePerRecipient(t, ledgerFor(sim.Ledger(), "9198762"), caption, sum(photo), sum(pdf))
	if v.State != models.CampaignCompleted || v.sent() != int64(n) || v.Counts[models.RecipientFailed] != 0 || v.Counts[models.RecipientUnknown] != 0 {
		child.fatal(t, "campaign ended %+v, want completed with %d sent and none failed or unknown", v, n)
	}
	t.Logf("campaign of %d with a photo and a PDF and 2 kill -9s: completed in %s; each recipient has one photo with its caption and one PDF, exact bytes",
		n, time.Since(started).Round(time.Second))
}

// checkFilesOncePerRecipient fails unless each recipient got exactly the
// photo with its caption, then the PDF under its name, exact bytes.
func checkFilesOncePerRecipient(t *testing.T, ledger []wasim.LedgerEntry, caption map[string]string, photoSHA, pdfSHA string) {
	t.Helper()
	got := map[string][]wasim.LedgerEntry{}
	for _, e := range ledger {
		p := digits(e.Phone)
		if _, ok := caption[p]; !ok {
			t.Errorf("a message went to %s, who is not a recipient", e.Phone)
			continue
		}
		got[p] = append(got[p], e)
	}
	for p, want := range caption {
		es := got[p]
		if len(es) != 2 {
			t.Errorf("%s received %d messages, want a photo and a PDF: %+v", p, len(es), es)
			continue
		}
		if e := es[0]; e.Kind != models.MediaPhoto || e.Text != want || e.SHA256 != photoSHA {
			t.Errorf("%s's first message is %s %q (sha %.12s), want the photo with %q", p, e.Kind, e.Text, e.SHA256, want)
		}
		if e := es[1]; e.Kind != models.MediaDocument || e.FileName != "Price list 2026.pdf" || e.Text != "" || e.SHA256 != pdfSHA {
			t.Errorf("%s's second message is %s %q %q (sha %.12s), want the PDF without a caption", p, e.Kind, e.FileName, e.Text, e.SHA256)
		}
	}
}

// uploadMedia puts a file into the media library through the API.
func (c *serveChild) uploadMedia(t *testing.T, name string, content []byte) string {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	part.Write(content)
	w.Close()
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Post(c.base+"/api/v1/media", w.FormDataContentType(), &body)
	if err != nil {
		c.fatal(t, "upload %s: %v", name, err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated || len(out.Items) != 1 {
		c.fatal(t, "upload %s: %d %v", name, resp.StatusCode, err)
	}
	return out.Items[0].ID
}
