package whatsapp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
	"github.com/sambad/sambad/whatsapp"
)

const apiToken = "f3b1c2d4e5a6978812345678abcdef0123456789abcdef0123456789abcdef01"

// accountsSite is the server on a registry of real browsers and a simulator.
type accountsSite struct {
	t     *testing.T
	url   string
	sim   *wasim.Server
	reg   *accounts.Registry
	store *models.Store
}

func newAccountsSite(t *testing.T) *accountsSite {
	t.Helper()
	sim := wasim.New(wasim.Options{LoadingDuration: 300 * time.Millisecond, FirstQRLifetime: 30 * time.Second, NextQRLifetime: 20 * time.Second,
		PollInterval: 100 * time.Millisecond})
	sim.ReportSeedOnFailure(t)
	base, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	store := testdb.SQLite(t)
	data := t.TempDir()
	reg, err := accounts.Open(context.Background(), store, accounts.Options{
		DataDir: data, Max: 3,
		Browser: browser.Options{BaseURL: base, ChromePath: chromiumBin, Headless: true, TestHostRules: "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
			LoadTimeout: 20 * time.Second, SendTimeout: 15 * time.Second, PollInterval: 100 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		reg.Close(ctx)
	})
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: data, DefaultRegion: "IN", APIToken: apiToken, MaxAccounts: 3}
	engine := campaign.New(campaign.Options{Store: store, Sender: whatsapp.FirstAccountSender{Registry: reg},
		SenderFor: whatsapp.SenderFor(reg), AccountSender: whatsapp.AccountSenders(reg), IdlePoll: 100 * time.Millisecond})
	ectx, ecancel := context.WithCancel(context.Background())
	edone := make(chan struct{})
	go func() { engine.Run(ectx); close(edone) }()
	reg.Watch(func(a *accounts.Account) {
		fctx, cancel := context.WithCancel(ectx)
		context.AfterFunc(a.Context(), cancel)
		go whatsapp.Feed(fctx, a.Manager(), engine)
	})
	t.Cleanup(func() { ecancel(); <-edone })
	srv, err := server.New(server.Deps{Config: cfg, Store: store, WhatsApp: whatsapp.FirstAccount{Registry: reg}, Accounts: whatsapp.Accounts{Registry: reg},
		Campaigns: engine})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &accountsSite{t: t, url: ts.URL, sim: sim, reg: reg, store: store}
}

// call sends a JSON request and decodes the answer into out (when not nil).
func (s *accountsSite) call(method, path, body string, out any) int {
	s.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, s.url+"/api/v1"+path, rd)
	req.Header.Set("Authorization", "Bearer "+apiToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			s.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

// expect checks a status and that an error answer says something.
func (s *accountsSite) expect(method, path, body string, want int) map[string]any {
	s.t.Helper()
	var out map[string]any
	got := s.call(method, path, body, &out)
	if got != want {
		s.t.Fatalf("%s %s %s: %d %v, want %d", method, path, body, got, out, want)
	}
	if want >= 400 {
		if msg, _ := out["error"].(string); msg == "" {
			s.t.Fatalf("%s %s: error answer without a message: %v", method, path, out)
		}
	}
	return out
}

// link has the phone of number scan the QR account id shows (over the API).
func (s *accountsSite) link(id, number string) {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	scanned := ""
	for time.Now().Before(deadline) {
		var a server.Account
		s.call("GET", "/accounts/"+id, "", &a)
		if a.State == "ready" {
			return
		}
		if a.State == "qr" && a.Session.QR != nil && *a.Session.QR != "" && *a.Session.QR != scanned {
			scanned = *a.Session.QR
			if err := s.sim.ScanRefAs(scanned, number); err != nil {
				s.t.Fatal(err)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.t.Fatalf("account %s was not linked", id)
}

// The accounts API against real browsers: add (with validation and the
// limit), link, send through each account (the ledger says which), rename,
// stop and start, and remove with the profile.
func TestAccountsAPI(t *testing.T) {
	s := newAccountsSite(t)
	var list struct {
		Items []server.Account `json:"items"`
		Total int              `json:"total"`
		Max   int              `json:"max"`
	}
	if s.call("GET", "/accounts", "", &list) != 200 || list.Total != 1 || list.Max != 3 {
		t.Fatalf("a fresh install lists %+v", list)
	}
	first := list.Items[0].ID

	s.expect("POST", "/accounts", `{}`, 422)
	s.expect("POST", "/accounts", `{"name": "  "}`, 422)
	s.expect("POST", "/accounts", `{"name": "Shop", "quiet_start": "25:00", "quiet_end": "08:00"}`, 422)
	s.expect("POST", "/accounts", `{"name": "Shop", "quiet_start": "22:00"}`, 422)
	s.expect("POST", "/accounts", `{"name": "Shop", "daily_cap": -1}`, 422)
	s.expect("POST", "/accounts", `{"name": "Shop", "colour": "red"}`, 400)
	s.expect("POST", "/accounts", `{"name": "`+strings.Repeat("n", 61)+`"}`, 422)
	var second, third server.Account
	if code := s.call("POST", "/accounts", `{"name": "Support", "daily_cap": 150, "quiet_start": "21:30", "quiet_end": "8:00"}`, &second); code != 201 ||
		second.DailyCap != 150 || second.QuietEnd != "08:00" || !second.Here {
		t.Fatalf("create: %d %+v", code, second)
	}
	if code := s.call("POST", "/accounts", `{"name": "Offers"}`, &third); code != 201 {
		t.Fatalf("create: %d", code)
	}
	s.expect("POST", "/accounts", `{"name": "Fourth"}`, 409)

	numbers := map[string]string{first: "919855500001", second.ID: "919855500002", third.ID: "919855500003"}
	for _, id := range []string{first, second.ID, third.ID} {
		s.link(id, numbers[id])
	}
	var got server.Account
	s.call("GET", "/accounts/"+second.ID, "", &got)
	if got.Phone != "+"+numbers[second.ID] || got.State != "ready" {
		t.Fatalf("linked account: %+v", got)
	}
	var sess server.SessionStatus
	if s.call("GET", "/session", "", &sess); sess.State != "ready" || sess.Phone != "+"+numbers[first] {
		t.Fatalf("/session is not the first account: %+v", sess)
	}

	// Sends: through each account, and without account_id through the first.
	const to = "+91 98765 33333"
	for _, id := range []string{second.ID, third.ID} {
		s.expect("POST", "/messages", `{"phone": "`+to+`", "text": "via `+id+`", "account_id": "`+id+`"}`, 200)
	}
	s.expect("POST", "/messages", `{"phone": "`+to+`", "text": "via the first"}`, 200)
	s.expect("POST", "/messages", `{"phone": "`+to+`", "text": "x", "account_id": "01a23c07-0000-7000-8000-000000000000"}`, 404)
	byText := map[string]string{}
	for _, e := range s.sim.Ledger() {
		byText[e.Text] = e.Account
	}
	if byText["via "+second.ID] != numbers[second.ID] || byText["via "+third.ID] != numbers[third.ID] || byText["via the first"] != numbers[first] {
		t.Fatalf("ledger accounts: %v", byText)
	}

	// Campaigns store their accounts: one, or several for a rotation.
	var cp struct {
		ID         string   `json:"id"`
		AccountIDs []string `json:"account_ids"`
	}
	if code := s.call("POST", "/campaigns", `{"name": "On the first", "template": "Hi", "account_ids": ["`+first+`"]}`, &cp); code != 201 ||
		len(cp.AccountIDs) != 1 || cp.AccountIDs[0] != first {
		t.Fatalf("campaign on the first account: %d %+v", code, cp)
	}
	s.call("GET", "/campaigns/"+cp.ID, "", &cp)
	if len(cp.AccountIDs) != 1 || cp.AccountIDs[0] != first {
		t.Fatalf("stored account_ids: %+v", cp)
	}
	if code := s.call("POST", "/campaigns", `{"name": "Default", "template": "Hi"}`, &cp); code != 201 || len(cp.AccountIDs) != 0 {
		t.Fatalf("campaign without accounts: %d %+v", code, cp)
	}
	s.expect("POST", "/campaigns", `{"name": "On the second", "template": "Hi", "account_ids": ["`+second.ID+`"]}`, 201)
	if code := s.call("POST", "/campaigns", `{"name": "Rotating", "template": "Hi", "account_ids": ["`+first+`", "`+second.ID+`"]}`, &cp); code != 201 ||
		len(cp.AccountIDs) != 2 || cp.AccountIDs[0] != first || cp.AccountIDs[1] != second.ID {
		t.Fatalf("a rotating campaign: %d %+v", code, cp)
	}
	s.expect("POST", "/campaigns", `{"name": "Nobody", "template": "Hi", "account_ids": ["01a23c07-0000-7000-8000-000000000000"]}`, 422)
	s.expect("POST", "/campaigns", `{"name": "Bad", "template": "Hi", "account_ids": "all"}`, 400)

	// Rename and cap; bad input changes nothing.
	s.expect("PATCH", "/accounts/"+second.ID, `{"name": "Support desk", "daily_cap": 80}`, 200)
	s.expect("PATCH", "/accounts/"+second.ID, `{"daily_cap": 100001}`, 422)
	s.expect("PATCH", "/accounts/"+second.ID, `{"quiet_start": "", "quiet_end": "07:00"}`, 422)
	s.call("GET", "/accounts/"+second.ID, "", &got)
	if got.Name != "Support desk" || got.DailyCap != 80 || got.QuietStart != "21:30" {
		t.Fatalf("after the patches: %+v", got)
	}
	s.expect("PATCH", "/accounts/not-an-id", `{"name": "x"}`, 404)

	// Session actions per account.
	s.expect("POST", "/accounts/"+second.ID+"/session/dance", "", 404)
	s.expect("POST", "/accounts/"+second.ID+"/session/link-code", `{"phone": "12ab"}`, 422)
	if out := s.expect("POST", "/accounts/"+second.ID+"/session/stop", "", 200); out["state"] != "stopped" {
		t.Fatalf("after stop: %v", out)
	}
	if s.call("GET", "/accounts/"+first, "", &got); got.State != "ready" {
		t.Fatalf("stopping one account stopped the first: %s", got.State)
	}
	s.expect("POST", "/accounts/"+second.ID+"/session/start", "", 200)
	s.link(second.ID, numbers[second.ID]) // back to ready from its profile: no QR
	if s.sim.CurrentQR() != "" {
		t.Fatal("a restarted account asked for a new QR code")
	}

	// Remove: the profile goes, the others stay; the last account stays.
	s.expect("DELETE", "/accounts/"+third.ID, "", 204)
	if _, err := os.Stat(s.reg.ProfileDir(third.ID)); !os.IsNotExist(err) {
		t.Fatalf("the removed account's profile: %v", err)
	}
	if _, err := os.Stat(s.reg.ProfileDir(second.ID)); err != nil {
		t.Fatalf("another account's profile: %v", err)
	}
	s.expect("GET", "/accounts/"+third.ID, "", 404)
	s.expect("DELETE", "/accounts/"+third.ID, "", 404)
	s.expect("DELETE", "/accounts/"+second.ID, "", 204)
	s.expect("DELETE", "/accounts/"+first, "", 409)
	s.call("GET", "/accounts", "", &list)
	if list.Total != 1 || list.Items[0].ID != first {
		t.Fatalf("after the removals: %+v", list)
	}
}

// A campaign with an account sends every message through that account, one
// without through the first; both run side by side on real browsers.
func TestCampaignSendsThroughItsAccount(t *testing.T) {
	s := newAccountsSite(t)
	var list struct {
		Items []server.Account `json:"items"`
	}
	s.call("GET", "/accounts", "", &list)
	first := list.Items[0].ID
	var second server.Account
	if s.call("POST", "/accounts", `{"name": "Support"}`, &second) != 201 {
		t.Fatal("create")
	}
	s.link(first, "919877700001")
	s.link(second.ID, "919877700002")

	ctx := context.Background()
	var contactIDs []string
	for i := 0; i < 6; i++ {
		var c models.Contact
		in := models.ContactInput{Phone: "+9198770" + string(rune('1'+i)) + "0000", Name: "Friend"}
		if err := in.Apply(&c, "IN"); err != nil {
			t.Fatal(err)
		}
		if err := s.store.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		contactIDs = append(contactIDs, c.ID)
	}
	ids := `["` + strings.Join(contactIDs[:3], `","`) + `"]`
	idsB := `["` + strings.Join(contactIDs[3:], `","`) + `"]`
	const fast = `{"preset": "custom", "min_delay_ms": 100, "max_delay_ms": 200}`
	var onSecond, onFirst struct{ ID string }
	if s.call("POST", "/campaigns", `{"name": "Support", "template": "Support says hi", "contact_ids": `+ids+`, "pacing": `+fast+`, "account_ids": ["`+second.ID+`"]}`, &onSecond) != 201 {
		t.Fatal("create campaign")
	}
	if s.call("POST", "/campaigns", `{"name": "Default", "template": "Default says hi", "contact_ids": `+idsB+`, "pacing": `+fast+`}`, &onFirst) != 201 {
		t.Fatal("create campaign")
	}
	s.expect("POST", "/campaigns/"+onSecond.ID+"/start", "", 200)
	s.expect("POST", "/campaigns/"+onFirst.ID+"/start", "", 200)
	deadline := time.Now().Add(90 * time.Second)
	for len(s.sim.Ledger()) < 6 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	l := s.sim.Ledger()
	if len(l) != 6 {
		t.Fatalf("ledger has %d messages, want 6: %+v", len(l), l)
	}
	for _, e := range l {
		want := map[string]string{"Support says hi": "919877700002", "Default says hi": "919877700001"}[e.Text]
		if e.Account != want {
			t.Fatalf("%q went out through %s, want %s", e.Text, e.Account, want)
		}
	}
	// Today's sends are counted per account.
	deadline = time.Now().Add(10 * time.Second)
	for {
		s.call("GET", "/accounts", "", &list)
		if list.Items[0].SentToday == 3 && list.Items[1].SentToday == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sent today: first %d, second %d; want 3 and 3", list.Items[0].SentToday, list.Items[1].SentToday)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
