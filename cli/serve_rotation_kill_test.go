package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// TestServeRotationSurvivesLogoutAndKill9 is issue 11's end-to-end test on
// the real binary (real Chromium, the simulator with its compose timings
// on): three linked accounts rotate a campaign of 90. When about 20 are
// sent, the third account is logged out from its phone while WhatsApp has
// taken its message and the driver still waits for the tick; when about 45
// are sent, Sambad is killed with SIGKILL and started again on the same
// data directory. The campaign goes on by itself over the two others, the
// recipient the logged-out account held stays held on it (never sent by
// another) until it is linked again and reconciled there from its chat, and
// in the end every recipient has exactly one message, from the account the
// database records.
func TestServeRotationSurvivesLogoutAndKill9(t *testing.T) {
	const n = 90
	began := time.Now()
	dir := shortTempDir(t, "rkl")
	exe := sambadBinary(t)
	sim, simURL := startSimulator(t)
	if sim.Seed() == 0 {
		t.Fatal("the simulator's compose timings are off by default")
	}
	sim.ReportSeedOnFailure(t)
	t.Logf("simulator compose timings on, seed %d (%s=%d replays it)", sim.Seed(), wasim.SeedEnv, sim.Seed())
	dataDir := filepath.Join(dir, "data")

	// Three accounts: the first an install starts with, two added.
	child := startServeChild(t, exe, dataDir, simURL)
	child.session(t, "qr", false, 90*time.Second)
	var list struct {
		Items []server.Account `json:"items"`
	}
	child.api(t, http.MethodGet, "/api/v1/accounts", nil, &list)
	if len(list.Items) != 1 {
		child.fatal(t, "a fresh install lists %d accounts, want 1", len(list.Items))
	}
	ids := []string{list.Items[0].ID}
	for _, name := range []string{"Two", "Three"} {
		var a server.Account
		child.api(t, http.MethodPost, "/api/v1/accounts", map[string]any{"name": name}, &a)
		ids = append(ids, a.ID)
	}
	numbers := []string{"919877810001", "919877810002", "919877810003"}
	for i, id := range ids {
		child.linkAccount(t, sim, id, numbers[i], 90*time.Second)
	}
	t.Logf("three accounts linked in %s", time.Since(began).Round(time.Second))

	want := map[string]string{}
	var contactIDs []string
	for i := range n {
		name := fmt.Sprintf("Rota %02d", i)
		var ct struct {
			ID string `json:"id"`
		}
		child.api(t, http.MethodPost, "/api/v1/contacts", map[string]any{"phone": fmt.Sprintf("+91 98779 %05d", i), "name": name}, &ct)
		contactIDs = append(contactIDs, ct.ID)
		want[fmt.Sprintf("9198779%05d", i)] = "Namaste " + name + ", your rotation slot is confirmed."
	}
	var cp campaignView
	child.api(t, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": "Rotation", "template": "Namaste {{name}}, your rotation slot is confirmed.", "contact_ids": contactIDs,
		"account_ids": ids, "pacing": map[string]any{"preset": "custom", "min_delay_ms": 100, "max_delay_ms": 200},
	}, &cp)
	child.api(t, http.MethodPost, "/api/v1/campaigns/"+cp.ID+"/start", nil, nil)
	started := time.Now()
	campaign := func() []wasim.LedgerEntry { return ledgerFor(sim.Ledger(), "9198779") }
	waitLedger := func(at int, what string) {
		t.Helper()
		deadline := time.Now().Add(180 * time.Second)
		for len(campaign()) < at {
			if time.Now().After(deadline) {
				child.fatal(t, "%s: WhatsApp never received %d campaign messages; it has %d", what, at, len(campaign()))
			}
			time.Sleep(2 * time.Millisecond)
		}
	}

	// The logout: ticks are held back, so once WhatsApp takes a message of
	// the third account the driver is still waiting for its tick; the phone
	// logs the device out right then.
	waitLedger(20, "logout")
	sim.SetAckDelay(4 * time.Second)
	from := len(sim.Ledger())
	var inFlight wasim.LedgerEntry
	deadline := time.Now().Add(60 * time.Second)
	for inFlight.Phone == "" {
		for _, e := range sim.Ledger()[from:] {
			if e.Account == numbers[2] {
				inFlight = e
			}
		}
		if inFlight.Phone == "" && time.Now().After(deadline) {
			child.fatal(t, "the third account sent nothing within a minute of the logout's turn")
		}
		time.Sleep(time.Millisecond)
	}
	sim.LogoutAccount(numbers[2])
	sim.SetAckDelay(0)
	atLogout := perAccount(campaign())
	t.Logf("logout of the third account with %d campaign messages at WhatsApp (%v); its message to %s waits for its tick",
		len(campaign()), atLogout, inFlight.Phone)

	// The kill: SIGKILL as soon as WhatsApp has 45, often mid-send.
	waitLedger(45, "kill")
	if err := child.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-child.exited
	killed := time.Now()
	atKill := len(campaign())
	// Its browsers go with it (leakless), before the restart opens the
	// same profiles.
	for left := browsersOn(dataDir); len(left) > 0; left = browsersOn(dataDir) {
		if time.Since(killed) > 10*time.Second {
			t.Fatalf("10 s after the kill, Chromium still runs on Sambad's profiles: pids %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("SIGKILL with %d campaign messages at WhatsApp; its browsers gone %s later", atKill, time.Since(killed).Round(time.Millisecond))

	// While Sambad is down: the recipient the logged-out account had in
	// flight is still "sending", held by that account, not sent by another.
	store, err := models.Open(context.Background(), models.OpenOptions{SQLitePath: filepath.Join(dataDir, "sambad.db")})
	if err != nil {
		t.Fatal(err)
	}
	sending, err := store.RecipientsInState(context.Background(), cp.ID, models.RecipientSending)
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	var held models.Recipient
	for _, r := range sending {
		if r.AccountID == ids[2] {
			if held.Seq != 0 {
				t.Fatalf("two recipients held by the logged-out account: %d and %d", held.Seq, r.Seq)
			}
			held = r
		}
	}
	if digits(held.Phone) != inFlight.Phone {
		t.Fatalf("after the kill the logged-out account holds %+v, want the recipient it had in flight (%s); sending: %+v", held, inFlight.Phone, sending)
	}

	child = startServeChild(t, exe, dataDir, simURL)
	child.session(t, "ready", true, 90*time.Second)
	t.Logf("restarted: the first account ready %s after the kill", time.Since(killed).Round(time.Millisecond))

	// The two others finish everything but the held recipient; the
	// campaign keeps running for it.
	// A campaign paused while no account was ready yet resumes by itself.
	settled := func(v campaignView) bool {
		return v.State != models.CampaignRunning && (v.State != models.CampaignPaused || v.PauseReason != models.PauseWhatsApp)
	}
	v := child.waitCampaign(t, cp.ID, 180*time.Second, "sent all but the held recipient", func(v campaignView) bool {
		return settled(v) ||
			(v.Counts[models.RecipientPending] == 0 && v.Counts[models.RecipientSending] == 1 && v.sent() == n-1)
	})
	if v.State != models.CampaignRunning {
		child.fatal(t, "the campaign is %s with the held recipient unsettled, want running: %+v", v.State, v)
	}
	time.Sleep(2 * time.Second) // nothing moves while the third account is away
	if got := perAccount(campaign())[numbers[2]]; got != atLogout[numbers[2]] {
		child.fatal(t, "the logged-out account sent %d messages after its logout", got-atLogout[numbers[2]])
	}
	if v = child.getCampaign(t, cp.ID); v.State != models.CampaignRunning || v.Counts[models.RecipientSending] != 1 {
		child.fatal(t, "while the third account is away the campaign is %+v", v)
	}
	t.Logf("all but the held recipient sent %s after the start", time.Since(started).Round(time.Second))

	// Linked again (same number, same chats): the held recipient is
	// settled from the chat on that account, not sent again.
	child.linkAccount(t, sim, ids[2], numbers[2], 90*time.Second)
	relinked := time.Now()
	v = child.waitCampaign(t, cp.ID, 90*time.Second, "completed", settled)
	took := time.Since(started)
	t.Logf("the third account linked again; the campaign completed %s later", time.Since(relinked).Round(time.Millisecond))
	if v.State != models.CampaignCompleted || v.sent() != n || v.Counts[models.RecipientFailed] != 0 ||
		v.Counts[models.RecipientUnknown] != 0 || v.Total != n {
		child.fatal(t, "campaign ended %+v, want completed with %d sent and none failed or unknown", v, n)
	}
	ledger := campaign()
	checkOncePerRecipient(t, ledger, want)
	per := perAccount(ledger)
	if per[numbers[2]] != atLogout[numbers[2]] {
		t.Errorf("the third account sent %d messages, %d before its logout: its held recipient was sent again", per[numbers[2]], atLogout[numbers[2]])
	}
	// The work after the logout went to the two others, about evenly.
	after := n
	for _, k := range atLogout {
		after -= k
	}
	for _, a := range numbers[:2] {
		if share := per[a] - atLogout[a]; share*4 < after {
			t.Errorf("account %s sent %d of the %d messages after the logout, want at least a quarter", a, share, after)
		}
	}

	// The database agrees with WhatsApp on who sent each message.
	child.sigterm(t, filepath.Join(dataDir, "error.log"), 30*time.Second)
	sentBy := map[string]string{}
	for _, e := range ledger {
		sentBy[digits(e.Phone)] = e.Account
	}
	number := map[string]string{ids[0]: numbers[0], ids[1]: numbers[1], ids[2]: numbers[2]}
	store, err = models.Open(context.Background(), models.OpenOptions{SQLitePath: filepath.Join(dataDir, "sambad.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, st := range []string{models.RecipientSent, models.RecipientDelivered, models.RecipientRead} {
		rs, err := store.RecipientsInState(context.Background(), cp.ID, st)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if p := digits(r.Phone); number[r.AccountID] != sentBy[p] {
				t.Errorf("recipient %s: the database records account %s, WhatsApp has it from %s", p, number[r.AccountID], sentBy[p])
			}
			if r.Seq == held.Seq && r.AccountID != ids[2] {
				t.Errorf("the held recipient ended on account %s", r.AccountID)
			}
		}
	}
	t.Logf("campaign of %d over 3 accounts, a logout and a kill -9: completed %s after its start (test %s); sends per account %v (at the logout %v)",
		n, took.Round(time.Second), time.Since(began).Round(time.Second), per, atLogout)
}

// linkAccount links account id as the phone number would, scanning each
// new QR code it shows (and asking for a new series when one expired),
// until the account is ready on that number.
func (c *serveChild) linkAccount(t *testing.T, sim *wasim.Server, id, number string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	scanned, reloaded := "", time.Time{}
	var a server.Account
	for time.Now().Before(deadline) {
		c.api(t, http.MethodGet, "/api/v1/accounts/"+id, nil, &a)
		if a.State == "ready" && digits(a.Session.Phone) == number {
			return
		}
		if a.State == "qr" && a.Session.QRExpired && time.Since(reloaded) > 5*time.Second {
			reloaded = time.Now()
			// The series ran out while nobody scanned (a long campaign):
			// ask for a new one, as a person would.
			c.api(t, http.MethodPost, "/api/v1/accounts/"+id+"/session/reload-qr", nil, nil)
		} else if a.State == "qr" && a.Session.QR != nil && *a.Session.QR != "" && *a.Session.QR != scanned {
			scanned = *a.Session.QR
			if err := sim.ScanRefAs(scanned, number); errors.Is(err, wasim.ErrNoQR) {
				scanned = "" // it expired as we read it: look again
			} else if err != nil {
				c.fatal(t, "scan for account %s: %v", id, err)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.fatal(t, "account %s never got ready on %s; last %+v", id, number, a)
}

// browsersOn lists the processes whose command line names dir (Chromium
// started on a profile under it), from /proc.
func browsersOn(dir string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil && strings.Contains(string(b), dir) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// getCampaign reads the campaign once.
func (c *serveChild) getCampaign(t *testing.T, id string) campaignView {
	t.Helper()
	var v campaignView
	c.api(t, http.MethodGet, "/api/v1/campaigns/"+id, nil, &v)
	return v
}

// perAccount counts ledger entries per sending account.
func perAccount(ledger []wasim.LedgerEntry) map[string]int {
	out := map[string]int{}
	for _, e := range ledger {
		out[e.Account]++
	}
	return out
}
