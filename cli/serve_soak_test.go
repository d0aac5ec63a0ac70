package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/models"
)

// soakSizes are the soak's API sends and campaign recipients: short in
// `make test`, the full issue-10 soak with SAMBAD_SOAK=1.
func soakSizes() (sends, recipients int) {
	if os.Getenv("SAMBAD_SOAK") != "" {
		return 200, 200
	}
	return 40, 60
}

// TestServeSoakSendsAndKill9s runs the real binary with real Chromium
// against the simulator with its compose timings on (late handlers, late
// text= fill, kept drafts, slow history): a run of single sends through
// POST /api/v1/messages, then a campaign during which Sambad is killed with
// SIGKILL three times, each time the moment WhatsApp took a message and
// before its tick. Every send must succeed, and in the end WhatsApp must
// have exactly one message with the exact text for every number: 0 failed,
// 0 duplicated, 0 missing.
func TestServeSoakSendsAndKill9s(t *testing.T) {
	sends, recipients := soakSizes()
	dir := shortTempDir(t, "soak")
	exe := sambadBinary(t)
	sim, simURL := startSimulator(t)
	if sim.Seed() == 0 {
		t.Fatal("the simulator's compose timings are off by default")
	}
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

	// Part 1: single sends, one after the other.
	started := time.Now()
	wantAPI := map[string]string{}
	var failed []string
	for i := range sends {
		phone := fmt.Sprintf("9198760%05d", i)
		text := fmt.Sprintf("Soak %d: नमस्ते 🙏\nYour order #%d is ready.", i, 1000+i)
		wantAPI[phone] = text
		if status, body := child.postMessage(t, "+"+phone, text); status != http.StatusOK || !strings.Contains(body, `"status":"sent"`) {
			failed = append(failed, fmt.Sprintf("send %d: %d %s", i, status, body))
		}
	}
	took := time.Since(started)
	ledger := sim.Ledger()
	checkOncePerRecipient(t, ledgerFor(ledger, "9198760"), wantAPI)
	if len(failed) > 0 {
		child.fatal(t, "%d of %d API sends failed:\n%s", len(failed), sends, strings.Join(failed, "\n"))
	}
	if t.Failed() {
		child.fatal(t, "the API sends did not reach WhatsApp exactly once with their text")
	}
	t.Logf("%d API sends: 0 failed, each delivered once with its exact text, %s per send", sends, (took / time.Duration(sends)).Round(time.Millisecond))

	// Part 2: a campaign with three kill -9s.
	cp, want := child.startGroupCampaign(t, groupCampaign{N: recipients, Name: "Meera", Block: "98761", Group: "Soak", Campaign: "Soak",
		Template: "Namaste {{name}},\nyour soak slot is confirmed ✓", Render: func(name string) string { return "Namaste " + name + ",\nyour soak slot is confirmed ✓" },
		MinDelayMS: 100, MaxDelayMS: 200})
	started = time.Now()
	for k, at := range []int{recipients / 5, recipients / 2, 4 * recipients / 5} {
		deadline := time.Now().Add(time.Duration(recipients) * 10 * time.Second)
		for len(ledgerFor(sim.Ledger(), "9198761")) < at {
			if time.Now().After(deadline) {
				child.fatal(t, "kill %d: WhatsApp never received %d campaign messages", k+1, at)
			}
			time.Sleep(2 * time.Millisecond)
		}
		// WhatsApp has just taken a message; the driver waits for its tick.
		if err := child.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-child.exited
		t.Logf("kill %d: SIGKILL with %d campaign messages at WhatsApp", k+1, len(ledgerFor(sim.Ledger(), "9198761")))
		child = startServeChild(t, exe, dataDir, simURL)
		child.session(t, "ready", true, 90*time.Second)
	}
	v := child.waitCampaign(t, cp.ID, time.Duration(recipients)*10*time.Second, "finished", func(v campaignView) bool {
		return v.State == models.CampaignCompleted || v.State == models.CampaignStopped || v.State == models.CampaignFailed ||
			(v.State == models.CampaignPaused && v.PauseReason != models.PauseShutdown)
	})
	checkOncePerRecipient(t, ledgerFor(sim.Ledger(), "9198761"), want)
	if v.State != models.CampaignCompleted || v.sent() != int64(recipients) || v.Counts[models.RecipientFailed] != 0 || v.Counts[models.RecipientUnknown] != 0 {
		child.fatal(t, "campaign ended %+v, want completed with %d sent and none failed or unknown", v, recipients)
	}
	t.Logf("campaign of %d with 3 kill -9s: completed in %s, 0 failed, 0 duplicated, 0 missing", recipients, time.Since(started).Round(time.Second))
	// The single sends are still there exactly once: nothing was resent.
	checkOncePerRecipient(t, ledgerFor(sim.Ledger(), "9198760"), wantAPI)
}

// postMessage sends one message through the API and returns the status and
// body; a send may take seconds, so it has its own client.
func (c *serveChild) postMessage(t *testing.T, phone, text string) (int, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"phone": phone, "text": text})
	resp, err := (&http.Client{Timeout: 90 * time.Second}).Post(c.base+"/api/v1/messages", "application/json", bytes.NewReader(b))
	if err != nil {
		c.fatal(t, "POST /api/v1/messages: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// ledgerFor keeps the ledger entries whose number starts with prefix.
func ledgerFor(ledger []wasim.LedgerEntry, prefix string) []wasim.LedgerEntry {
	var out []wasim.LedgerEntry
	for _, e := range ledger {
		if strings.HasPrefix(digits(e.Phone), prefix) {
			out = append(out, e)
		}
	}
	return out
}
