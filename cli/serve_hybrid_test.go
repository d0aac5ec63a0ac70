package cli

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestServeHybridHandover runs two installs as two real `sambad serve`
// processes in hybrid mode (each its own data directory and SQLite file,
// both on one Postgres), each with real Chromium linked to the same
// simulated WhatsApp account. A campaign made and started on A reaches B;
// A is stopped with SIGTERM mid-campaign; B takes it over and finishes it.
// Every recipient gets exactly one message, and B's report agrees.
func TestServeHybridHandover(t *testing.T) {
	dir := shortTempDir(t, "hyb")
	exe := sambadBinary(t)
	sim, simURL := startSimulator(t)
	cloudURL := testdb.PostgresURL(t)
	env := []string{"DATABASE_URL=" + cloudURL, "SAMBAD_STORAGE=hybrid"}

	link := func(name string) (*serveChild, string) {
		dataDir := filepath.Join(dir, name)
		c := startServeChild(t, exe, dataDir, simURL, env...)
		st := c.session(t, "qr", false, 90*time.Second)
		if st.QR == nil {
			c.fatal(t, "%s: session in qr without a payload: %+v", name, st)
		}
		if err := sim.ScanRef(*st.QR); err != nil {
			t.Fatalf("%s: scan: %v", name, err)
		}
		c.session(t, "ready", false, 60*time.Second)
		return c, filepath.Join(dataDir, "error.log")
	}
	a, logA := link("a")
	b, _ := link("b")
	files := uploadMediaFiles(t, a.base)

	const n = 24
	cp, want := a.startGroupCampaign(t, groupCampaign{N: n, Name: "Ravi", Block: "98711", Group: "Orders", Campaign: "Orders ready",
		Template: "Hello {{name}}, your order is ready.", Render: func(name string) string { return "Hello " + name + ", your order is ready." },
		MinDelayMS: 150, MaxDelayMS: 250})

	// B learns of the campaign and of its progress through the cloud, and
	// does not send it while A holds its lease.
	deadline := time.Now().Add(60 * time.Second)
	for {
		var v campaignView
		if resp, err := http.Get(b.base + "/api/v1/campaigns/" + cp.ID); err == nil {
			json.NewDecoder(resp.Body).Decode(&v)
			resp.Body.Close()
		}
		if v.State == models.CampaignRunning && v.Total == n && v.sent() >= 5 {
			break
		}
		if time.Now().After(deadline) {
			b.fatal(t, "B never showed the campaign running with 5 sent; last %+v", v)
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.sigterm(t, logA, 30*time.Second)
	stopped := time.Now()
	sentByA := len(sim.Ledger())
	if sentByA >= n {
		t.Fatalf("A sent all %d before it was stopped; the handover was not exercised", n)
	}

	for len(sim.Ledger()) == sentByA && time.Since(stopped) < 120*time.Second {
		time.Sleep(20 * time.Millisecond)
	}
	handover := time.Since(stopped)
	v := b.waitCampaign(t, cp.ID, 120*time.Second, "completed on B", func(v campaignView) bool {
		return v.State != models.CampaignRunning && v.State != models.CampaignPaused
	})
	if v.State != models.CampaignCompleted || v.sent() != n {
		b.fatal(t, "campaign ended on B as %+v, want completed with %d sent", v, n)
	}
	checkOncePerRecipient(t, sim.Ledger(), want)
	// The files uploaded on A reached B as chunk rows; B's library rebuilt
	// them on disk by itself (its reconcile), and serves the exact bytes.
	checkMediaOn(t, b.base, filepath.Join(dir, "b", "media"), files, 60*time.Second)
	t.Logf("A sent %d before SIGTERM, B sent the other %d; B's first send came %s after A exited", sentByA, n-sentByA, handover.Round(time.Millisecond))
}
