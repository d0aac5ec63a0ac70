package models_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func checkContacts(t *testing.T, s *models.Store, n int) []models.Contact {
	t.Helper()
	var out []models.Contact
	for i := 0; i < n; i++ {
		var c models.Contact
		if err := (models.ContactInput{Phone: fmt.Sprintf("98765%05d", i), Name: fmt.Sprintf("C%d", i)}).Apply(&c, "IN"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateContact(t.Context(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// A check job's results reach the contacts (by id, or by phone for a bare
// number), with the date; a check that could not tell leaves what was
// known; the list filters by the result; a finished job does not move.
func TestNumberCheckStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		cs := checkContacts(t, s, 4)
		items := []models.NumberCheckItem{{Phone: cs[0].Phone, ContactID: cs[0].ID}, {Phone: cs[1].Phone, ContactID: cs[1].ID},
			{Phone: cs[2].Phone}, {Phone: "+14155550100"}}
		n := &models.NumberCheck{Pacing: models.Pacing{Preset: "short", MinDelayMS: 5000, MaxDelayMS: 20000}}
		if err := s.CreateNumberCheck(ctx, n, items); err != nil {
			t.Fatal(err)
		}
		next, err := s.NextNumberCheck(ctx)
		if err != nil || next.ID != n.ID || next.Total != 4 || next.Counts.Pending != 4 || next.Pacing.MinDelayMS != 5000 {
			t.Fatalf("next job = %+v, %v", next, err)
		}
		results := []string{models.NumberOnWhatsApp, models.NumberNotOnWA, models.NumberNotOnWA, models.NumberCheckFailed}
		for i, want := range results {
			it, err := s.NextPendingNumber(ctx, n.ID)
			if err != nil || it.Seq != i+1 {
				t.Fatalf("pending %d = %+v, %v", i, it, err)
			}
			if err := s.RecordNumber(ctx, it, want, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.NextPendingNumber(ctx, n.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("after the last number: %v", err)
		}
		got, _ := s.GetNumberCheck(ctx, n.ID)
		if got.Counts != (models.NumberCheckCounts{OnWhatsApp: 1, NotOnWhatsApp: 2, Errors: 1}) || got.Percent() != 100 {
			t.Fatalf("counts = %+v", got.Counts)
		}
		for i, want := range []string{"yes", "no", "no", ""} {
			c, _ := s.GetContact(ctx, cs[i].ID)
			if c.WhatsApp() != want || (want != "" && c.OnWhatsAppCheckedAt == nil) {
				t.Errorf("contact %d: on_whatsapp %q at %v, want %q", i, c.WhatsApp(), c.OnWhatsAppCheckedAt, want)
			}
		}
		// An error result does not erase an earlier answer.
		n2 := &models.NumberCheck{}
		if err := s.CreateNumberCheck(ctx, n2, []models.NumberCheckItem{{Phone: cs[0].Phone, ContactID: cs[0].ID}}); err != nil {
			t.Fatal(err)
		}
		it, _ := s.NextPendingNumber(ctx, n2.ID)
		if err := s.RecordNumber(ctx, it, models.NumberCheckFailed, "timeout"); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.GetContact(ctx, cs[0].ID); c.WhatsApp() != "yes" {
			t.Errorf("an error result changed the contact to %q", c.WhatsApp())
		}
		// The filter.
		for filter, want := range map[string]int64{"true": 1, "false": 2, "unknown": 1, "": 4} {
			_, total, err := s.ListContacts(ctx, models.ContactQuery{OnWhatsApp: filter})
			if err != nil || total != want {
				t.Errorf("filter %q: %d contacts, %v; want %d", filter, total, err, want)
			}
		}
		sel, err := s.ContactsForCheck(ctx, nil, &models.ContactQuery{OnWhatsApp: "false"}, 10)
		if err != nil || len(sel) != 2 {
			t.Fatalf("contacts for a check of the not-on-WhatsApp: %d, %v", len(sel), err)
		}
		// Moves: done is final.
		if err := s.MoveNumberCheck(ctx, n.ID, models.NumberCheckDone, "1 on"); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveNumberCheck(ctx, n.ID, models.NumberCheckCancelled, "cancelled"); !errors.Is(err, models.ErrState) {
			t.Fatalf("cancel of a done job: %v", err)
		}
		// Too many numbers is refused with a message, nothing stored.
		big := make([]models.NumberCheckItem, models.MaxNumberCheck+1)
		var ve *models.ValidationError
		if err := s.CreateNumberCheck(ctx, &models.NumberCheck{}, big); !errors.As(err, &ve) || !strings.Contains(ve.Error(), "at most 1000") {
			t.Fatalf("1001 numbers: %v", err)
		}
		// A contact edited to a new phone forgets the old number's result;
		// an edit that keeps the phone keeps it.
		c1, _ := s.GetContact(ctx, cs[1].ID)
		c1.Name = "renamed"
		s.UpdateContact(ctx, c1)
		if got, _ := s.GetContact(ctx, cs[1].ID); got.WhatsApp() != "no" {
			t.Errorf("a rename lost the result: %q", got.WhatsApp())
		}
		c1.Phone = "+919876599999"
		if err := s.UpdateContact(ctx, c1); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetContact(ctx, cs[1].ID); got.WhatsApp() != "" || got.OnWhatsAppCheckedAt != nil {
			t.Errorf("a new phone kept the old number's result: %q at %v", got.WhatsApp(), got.OnWhatsAppCheckedAt)
		}
	})
}

// With skip_not_on_whatsapp, contacts known not to be on WhatsApp get a
// "skipped" recipient (never pending) and the rest are planned as usual;
// without it nobody is skipped; an audience with nobody left is refused.
func TestPlanSkipsNotOnWhatsApp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		cs := checkContacts(t, s, 3)
		chk := &models.NumberCheck{}
		s.CreateNumberCheck(ctx, chk, []models.NumberCheckItem{{Phone: cs[0].Phone, ContactID: cs[0].ID}, {Phone: cs[1].Phone, ContactID: cs[1].ID}})
		for _, r := range []string{models.NumberOnWhatsApp, models.NumberNotOnWA} {
			it, _ := s.NextPendingNumber(ctx, chk.ID)
			s.RecordNumber(ctx, it, r, "")
		}
		render := func(c *models.Contact) (string, error) { return "hi " + c.Name, nil }
		plan := func(skip bool, ids ...string) (*models.Campaign, models.PlanResult, error) {
			c := &models.Campaign{Name: fmt.Sprintf("skip %v %d", skip, len(ids)), Template: "hi", ContactIDs: ids, SkipNotOnWhatsApp: skip,
				Pacing: models.Pacing{Preset: "custom", MaxDelayMS: 1}}
			if err := s.CreateCampaign(ctx, c); err != nil {
				t.Fatal(err)
			}
			res, err := s.PlanRecipients(ctx, c.ID, render)
			return c, res, err
		}
		c, res, err := plan(true, cs[0].ID, cs[1].ID, cs[2].ID)
		if err != nil || res.Planned != 3 || res.Skipped != 1 {
			t.Fatalf("plan with skip: %+v, %v", res, err)
		}
		counts, _ := s.CountStates(ctx, c.ID, 0)
		if counts[models.RecipientSkipped] != 1 || counts[models.RecipientPending] != 2 || counts.Done() != 1 {
			t.Fatalf("counts = %v", counts)
		}
		err = s.EachRecipient(ctx, c.ID, []string{models.RecipientSkipped}, func(r *models.Recipient) error {
			if r.ContactID != cs[1].ID || !strings.HasPrefix(r.Error, "not on WhatsApp (checked ") {
				t.Errorf("skipped recipient %+v", r)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetCampaign(ctx, c.ID); !got.SkipNotOnWhatsApp {
			t.Error("the campaign lost its skip option")
		}
		if _, res, err := plan(false, cs[0].ID, cs[1].ID, cs[2].ID); err != nil || res.Skipped != 0 || res.Planned != 3 {
			t.Fatalf("plan without skip: %+v, %v", res, err)
		}
		var ve *models.ValidationError
		if _, _, err := plan(true, cs[1].ID); !errors.As(err, &ve) || !strings.Contains(err.Error(), "known not to be on WhatsApp") {
			t.Fatalf("an audience of only skipped contacts: %v", err)
		}
	})
}
