package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// TestCampaignWithAccountsWaitsForItsOwnAccounts: a campaign on accounts of
// its own warns, and its Resume says it waits, by the state of those
// accounts, not of the first account; and it links to the accounts page.
func TestCampaignWithAccountsWaitsForItsOwnAccounts(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir()}, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	first := &memSender{sent: map[string][]string{}, invalid: map[string]bool{}} // ready
	accts := map[string]*memSender{}
	var ids []string
	for _, name := range []string{"Shop", "Office"} {
		a := &models.WhatsAppAccount{Name: name}
		if err := s.CreateWhatsAppAccount(ctx, a, 5); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
		accts[a.ID] = &memSender{sent: map[string][]string{}, invalid: map[string]bool{}}
		accts[a.ID].down.Store(true)
	}
	idA, idB := ids[0], ids[1]
	e := campaign.New(campaign.Options{Store: s, Sender: first, IdlePoll: 10 * time.Millisecond, Location: cfg.Location(),
		SenderFor: func(c *models.Campaign) campaign.Sender {
			if len(c.AccountIDs) > 0 {
				return accts[c.AccountIDs[0]]
			}
			return first
		},
		AccountSender: func(id string) campaign.Sender { return accts[id] }})
	srv, err := server.New(server.Deps{Config: cfg, Store: s, Campaigns: e})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	g, err := s.CreateGroup(ctx, "Customers")
	if err != nil {
		t.Fatal(err)
	}
	var c models.Contact
	models.ContactInput{Phone: "+14155550100", Name: "Asha"}.Apply(&c, "US")
	if err := s.CreateContact(ctx, &c); err != nil {
		t.Fatal(err)
	}
	s.AddMembers(ctx, g.ID, []string{c.ID})
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar} // the page's flash travels in a cookie across the redirect
	fetch := func(method, path string) string {
		t.Helper()
		var resp *http.Response
		var err error
		if method == "POST" {
			resp, err = client.PostForm(hs.URL+path, url.Values{})
		} else {
			resp, err = client.Get(hs.URL + path)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	mk := func(name string, accounts ...string) *models.Campaign {
		cp := &models.Campaign{Name: name, Template: "Hi {{name}}", GroupIDs: []string{g.ID}, AccountIDs: accounts,
			Pacing: models.Pacing{Preset: "custom", MinDelayMS: 60000, MaxDelayMS: 60000}}
		if err := s.CreateCampaign(ctx, cp); err != nil {
			t.Fatal(err)
		}
		return cp
	}
	onFirst, rotating, single := mk("First"), mk("Rotating", idA, idB), mk("Single", idB)
	if body := fetch("GET", "/campaigns/"+onFirst.ID); strings.Contains(body, "data-wait-whatsapp") {
		t.Fatal("a campaign on the first account warns while the first account is connected")
	}
	for _, tc := range []struct {
		cp   *models.Campaign
		what string
	}{{rotating, "None of its WhatsApp accounts is connected"}, {single, "Its WhatsApp account is not connected"}} {
		body := fetch("GET", "/campaigns/"+tc.cp.ID)
		if !strings.Contains(body, "data-wait-whatsapp") || !strings.Contains(body, tc.what+": if you start now") || !strings.Contains(body, `<a href="/accounts">Open Accounts</a>`) {
			t.Fatalf("%s: the draft does not warn that its accounts are down:\n%s", tc.cp.Name, body)
		}
	}
	accts[idA].down.Store(false) // one of the rotation is enough
	if body := fetch("GET", "/campaigns/"+rotating.ID); strings.Contains(body, "data-wait-whatsapp") {
		t.Fatal("the rotating campaign warns while one of its accounts is connected")
	}
	// Resume of the single-account campaign while its account is down.
	accts[idB].down.Store(false)
	if _, err := e.Start(ctx, single.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Pause(ctx, single.ID); err != nil {
		t.Fatal(err)
	}
	accts[idB].down.Store(true)
	if body := fetch("POST", "/campaigns/"+single.ID+"/resume"); !strings.Contains(body, "Its WhatsApp account is not connected: the campaign waits for it") || strings.Contains(body, "Resumed.") {
		t.Fatalf("Resume while its account is down does not say the campaign waits:\n%s", body)
	}
}
