package models_test

import (
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestRunReports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		a := newContact(t, s, "9876500001", "Asha", nil)
		b := newContact(t, s, "9876500002", "Ravi", nil)
		render := func(c *models.Contact) (string, error) { return "Hi " + c.Name, nil }
		mk := func(name string) *models.Campaign {
			c := &models.Campaign{Name: name, Template: "Hi", ContactIDs: []string{a.ID, b.ID}}
			if err := s.CreateCampaign(ctx, c); err != nil {
				t.Fatal(err)
			}
			if _, err := s.PlanRecipients(ctx, c.ID, render); err != nil {
				t.Fatal(err)
			}
			return c
		}
		diwali := mk("Diwali 50%")
		db := testdb.Gorm(s)
		db.Exec(`UPDATE campaign_recipients SET state = 'read' WHERE campaign_id = ? AND contact_id = ?`, diwali.ID, a.ID)
		db.Exec(`UPDATE campaign_recipients SET state = 'failed' WHERE campaign_id = ? AND contact_id = ?`, diwali.ID, b.ID)
		db.Exec(`UPDATE campaigns SET state = 'completed' WHERE id = ?`, diwali.ID)
		old := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
		db.Exec(`UPDATE campaign_runs SET started_at = ? WHERE campaign_id = ?`, old, diwali.ID)
		// A retry run: Ravi's failure is sent again in run 2.
		if _, _, err := s.RetryFailed(ctx, diwali.ID); err != nil {
			t.Fatal(err)
		}
		db.Exec(`UPDATE campaign_recipients SET state = 'sent' WHERE campaign_id = ? AND run = 2`, diwali.ID)
		promo := mk("New year")
		mk("Other")
		testdb.Gorm(s).Model(&models.Campaign{}).Where("id = ?", promo.ID).Update("state", "paused")

		all, err := s.RunReports(ctx, models.RunReportQuery{})
		if err != nil || len(all) != 4 {
			t.Fatalf("all runs = %d, %v; want 4", len(all), err)
		}
		if last := all[3]; last.CampaignID != diwali.ID || last.Run != 1 || last.Counts["read"] != 1 || last.Counts["failed"] != 0 || last.Counts.Total() != 1 {
			t.Fatalf("the oldest run = %+v", last)
		}
		var retry *models.RunReport
		for i := range all {
			if all[i].CampaignID == diwali.ID && all[i].Run == 2 {
				retry = &all[i]
			}
		}
		if retry == nil || retry.Kind != "retry" || retry.Counts["sent"] != 1 || retry.CampaignName != "Diwali 50%" {
			t.Fatalf("retry run = %+v", retry)
		}
		for _, tc := range []struct {
			q    models.RunReportQuery
			want int
		}{
			{models.RunReportQuery{Q: "diwali"}, 2},
			{models.RunReportQuery{Q: "50%"}, 2},
			{models.RunReportQuery{Q: "5_"}, 0},
			{models.RunReportQuery{State: "paused"}, 1},
			{models.RunReportQuery{From: old.Add(-time.Hour), To: old.Add(time.Hour)}, 1},
			{models.RunReportQuery{From: old.Add(time.Hour)}, 3},
			{models.RunReportQuery{Limit: 2}, 2},
		} {
			got, err := s.RunReports(ctx, tc.q)
			if err != nil || len(got) != tc.want {
				t.Errorf("%+v: %d runs, %v; want %d", tc.q, len(got), err, tc.want)
			}
		}
	})
}

// TestRunReportsRecountWhenCampaignChanges: the reports' counts are cached
// per campaign, but a change of the campaign's row (here it completes)
// counts it afresh at once.
func TestRunReportsRecountWhenCampaignChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		a := newContact(t, s, "9876500001", "Asha", nil)
		c := &models.Campaign{Name: "Holi", Template: "Hi", ContactIDs: []string{a.ID}}
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PlanRecipients(ctx, c.ID, func(*models.Contact) (string, error) { return "Hi", nil }); err != nil {
			t.Fatal(err)
		}
		runs, err := s.RunReports(ctx, models.RunReportQuery{})
		if err != nil || len(runs) != 1 || runs[0].Counts["pending"] != 1 {
			t.Fatalf("before: %+v, %v", runs, err)
		}
		db := testdb.Gorm(s)
		db.Exec(`UPDATE campaign_recipients SET state = 'read' WHERE campaign_id = ?`, c.ID)
		db.Exec(`UPDATE campaigns SET state = 'completed', updated_at = ? WHERE id = ?`, time.Now().UTC().Add(time.Second), c.ID)
		runs, err = s.RunReports(ctx, models.RunReportQuery{})
		if err != nil || len(runs) != 1 || runs[0].Counts["read"] != 1 || runs[0].Counts["pending"] != 0 {
			t.Fatalf("after the campaign completed: %+v, %v", runs, err)
		}
	})
}
