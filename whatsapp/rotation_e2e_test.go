package whatsapp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// A rotating campaign over three linked accounts (real Chromium, the
// simulator over HTTP): one account is logged out from the phone in the
// middle; the others carry on, the work is spread over them, and every
// recipient gets the message exactly once (a recipient held by the
// logged-out account is settled on it once it is linked again).
func TestRotatingCampaignSurvivesALogout(t *testing.T) {
	s := newAccountsSite(t)
	var list struct {
		Items []server.Account `json:"items"`
	}
	s.call("GET", "/accounts", "", &list)
	ids := []string{list.Items[0].ID}
	for _, name := range []string{"Two", "Three"} {
		var a server.Account
		if s.call("POST", "/accounts", `{"name": "`+name+`"}`, &a) != 201 {
			t.Fatal("create")
		}
		ids = append(ids, a.ID)
	}
	numbers := []string{"919877710001", "919877710002", "919877710003"}
	for i, id := range ids {
		s.link(id, numbers[i])
	}
	ctx := context.Background()
	var contactIDs []string
	for i := 0; i < 30; i++ {
		var c models.Contact
		in := models.ContactInput{Phone: fmt.Sprintf("+91987720%04d", i), Name: "Friend"}
		if err := in.Apply(&c, "IN"); err != nil {
			t.Fatal(err)
		}
		if err := s.store.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		contactIDs = append(contactIDs, c.ID)
	}
	var cp struct{ ID string }
	body := `{"name": "Rotation", "template": "Rotation says hi", "contact_ids": ["` + strings.Join(contactIDs, `","`) +
		`"], "pacing": {"preset": "custom", "min_delay_ms": 100, "max_delay_ms": 200}, "account_ids": ["` + strings.Join(ids, `","`) + `"]}`
	if code := s.call("POST", "/campaigns", body, &cp); code != 201 {
		t.Fatalf("create the rotating campaign: %d", code)
	}
	s.expect("POST", "/campaigns/"+cp.ID+"/start", "", 200)
	deadline := time.Now().Add(120 * time.Second)
	for len(s.sim.Ledger()) < 9 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	s.sim.LogoutAccount(numbers[2])
	atLogout := 0
	for _, e := range s.sim.Ledger() {
		if e.Account == numbers[2] {
			atLogout++
		}
	}
	// The other two finish what they can: 30 less at most the one the
	// logged-out account holds.
	counts := func() models.StateCounts {
		n, _ := s.store.CountStates(ctx, cp.ID, 1)
		return n
	}
	done := func(n models.StateCounts) int64 {
		return n[models.RecipientSent] + n[models.RecipientDelivered] + n[models.RecipientRead]
	}
	for time.Now().Before(deadline) {
		n := counts()
		if done(n)+n[models.RecipientSending] == 30 && n[models.RecipientPending] == 0 && n[models.RecipientSending] <= 1 {
			break // a second "sending" is another account's send in flight
		}
		time.Sleep(200 * time.Millisecond)
	}
	n := counts()
	if done(n)+n[models.RecipientSending] != 30 || n[models.RecipientSending] > 1 {
		t.Fatalf("after the logout: %v", n)
	}
	if got, _ := s.store.GetCampaign(ctx, cp.ID); n[models.RecipientSending] == 1 && got.State != models.CampaignRunning {
		t.Fatalf("the campaign is %s while two accounts are linked", got.State)
	}
	if n[models.RecipientSending] == 1 {
		held, _ := s.store.RecipientsInState(ctx, cp.ID, models.RecipientSending)
		if held[0].AccountID != ids[2] {
			t.Fatalf("the held recipient records %q, want the logged-out account", held[0].AccountID)
		}
		t.Logf("recipient %d held by the logged-out account; linking it again", held[0].Seq)
		s.link(ids[2], numbers[2])
	}
	deadline = time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if got, _ := s.store.GetCampaign(ctx, cp.ID); got.State == models.CampaignCompleted {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if got, _ := s.store.GetCampaign(ctx, cp.ID); got.State != models.CampaignCompleted {
		t.Fatalf("campaign %s: %v", got.State, counts())
	}
	per := map[string]int{}
	seen := map[string]int{}
	for _, e := range s.sim.Ledger() {
		if e.Text == "Rotation says hi" {
			per[e.Account]++
			seen[e.Phone]++
		}
	}
	if len(seen) != 30 {
		t.Fatalf("%d recipients reached, want 30", len(seen))
	}
	for p, k := range seen {
		if k != 1 {
			t.Fatalf("%s got %d messages", p, k)
		}
	}
	if per[numbers[2]] > atLogout+1 || per[numbers[0]] < 5 || per[numbers[1]] < 5 {
		t.Fatalf("sends per account %v (the third had %d at its logout)", per, atLogout)
	}
	t.Logf("sends per account: %v; the third had %d at its logout", per, atLogout)
}
