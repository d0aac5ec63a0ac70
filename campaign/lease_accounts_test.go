package campaign_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// accountInstall starts an install holding only account held. Its sender
// ports would send through any account (each message logged as
// "<install>@<account>"), as a registry whose rows name no holder would:
// only Options.HoldsAccount keeps it to the account it holds.
func accountInstall(t *testing.T, s *models.Store, id, held string, led *sendLog, took time.Duration) *install {
	t.Helper()
	tagged := func(acct string) campaign.Sender {
		return &installSender{install: id + "@" + acct, led: led, took: took}
	}
	return startInstallWith(t, s, id, led, 3*time.Second, took, func(o *campaign.Options) {
		o.Sender = tagged(held) // the first account held here
		o.SenderFor = func(c *models.Campaign) campaign.Sender {
			if len(c.AccountIDs) == 0 {
				return tagged(held) // the first account held here, as whatsapp.SenderFor
			}
			return tagged(c.AccountIDs[0])
		}
		o.AccountSender = tagged
		o.HoldsAccount = func(acct string) bool { return acct == held }
	})
}

func twoAccounts(t *testing.T, s *models.Store) (x, y string) {
	t.Helper()
	var ids []string
	for _, name := range []string{"X", "Y"} {
		a := &models.WhatsAppAccount{Name: name}
		if err := s.CreateWhatsAppAccount(context.Background(), a, 0); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return ids[0], ids[1]
}

// onlyThrough fails unless every message went out from an install through
// the account it holds.
func onlyThrough(t *testing.T, led *sendLog, holds map[string]string) map[string]int {
	t.Helper()
	per := map[string]int{}
	for _, m := range led.all() {
		inst, acct, _ := strings.Cut(m.Install, "@")
		if holds[inst] != acct {
			t.Fatalf("%s sent to %s through account %s, which it does not hold (it holds %s)", inst, m.Phone, acct, holds[inst])
		}
		per[inst]++
	}
	return per
}

// TestLeaseOnlyInstallsHoldingAccounts: install A holds account X only, B
// holds Y only. A campaign on [X] is sent by A alone, even when B is free and started it and A
// comes late; B says plainly why it does not send. (A campaign without
// accounts goes, as before, through the first account the sending install
// holds: TestServeHybridHandover in cli.) A campaign rotating on
// [X, Y] is sent by whichever install holds its lease, through its own
// account only, before and after a takeover.
func TestLeaseOnlyInstallsHoldingAccounts(t *testing.T) {
	s := testdb.Postgres(t)
	ctx := context.Background()
	x, y := twoAccounts(t, s)
	holds := map[string]string{"install-a": x, "install-b": y}

	led := &sendLog{}
	gx, _ := seedContacts(t, s, 20, "61")
	onX := &models.Campaign{Name: "On X", Template: "On X {{name}}", GroupIDs: []string{gx.ID}, Pacing: fast, AccountIDs: []string{x}}
	if err := s.CreateCampaign(ctx, onX); err != nil {
		t.Fatal(err)
	}
	b := accountInstall(t, s, "install-b", y, led, 2*time.Millisecond)
	if _, err := b.e.Start(ctx, onX.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // B is free all this time
	if n := len(led.all()); n != 0 {
		t.Fatalf("%d messages went out before the install holding X came: %+v", n, led.all()[0])
	}
	if st := b.e.Live(onX.ID).Status; st != "sending from another install: this install holds none of its accounts" {
		t.Fatalf("install b shows %q for the campaign on X", st)
	}
	a := accountInstall(t, s, "install-a", x, led, 2*time.Millisecond)
	waitFor(t, "the campaign on X completed", stateIs(s, onX.ID, models.CampaignCompleted))
	checkOnce(t, s, led, onX)
	if per := onlyThrough(t, led, holds); per["install-b"] != 0 || per["install-a"] != 20 {
		t.Fatalf("sends per install: %v; want all 20 from install-a", per)
	}

	// A rotation over both: A sends it through X, then B, once A is gone,
	// through Y.
	rled := &sendLog{}
	a.stop()
	b.stop()
	c := rotatingCampaign(t, s, 60, "63", []string{x, y}, fast)
	a = accountInstall(t, s, "install-a2", x, rled, 10*time.Millisecond)
	holds["install-a2"], holds["install-b2"] = x, y
	if _, err := a.e.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "install a sending", func() bool { return len(rled.all()) >= 5 })
	b = accountInstall(t, s, "install-b2", y, rled, 10*time.Millisecond)
	a.stop()
	waitFor(t, "install b to finish the rotation", stateIs(s, c.ID, models.CampaignCompleted))
	checkOnce(t, s, rled, c)
	if per := onlyThrough(t, rled, holds); per["install-a2"] == 0 || per["install-b2"] == 0 {
		t.Fatalf("sends per install: %v; want both", per)
	}
}
