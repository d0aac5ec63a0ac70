package server_test

import (
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestReportsPage: /reports lists every run of every campaign with totals
// and the delivery chart, filters by name, state and days, refuses a day
// that is not one, and exports the table as CSV and XLSX.
func TestReportsPage(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 6)
	ctx := t.Context()
	f.sender.invalid["+14153000002"] = true
	run := func(name string) string {
		c := &models.Campaign{Name: name, Template: "Hi {{name}}", GroupIDs: []string{f.group.ID}, Pacing: models.Pacing{Preset: "custom"}}
		if err := f.engine.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := f.engine.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for cp, _ := f.store.GetCampaign(ctx, c.ID); cp.State != models.CampaignCompleted; cp, _ = f.store.GetCampaign(ctx, c.ID) {
			if time.Now().After(deadline) {
				t.Fatal("not completed")
			}
			time.Sleep(10 * time.Millisecond)
		}
		return c.ID
	}
	run("=Spring sale")
	run("Diwali")
	f.engine.Create(ctx, &models.Campaign{Name: "Never started", Template: "x", GroupIDs: []string{f.group.ID}})
	get := func(path string) (int, string) {
		resp, err := http.Get(f.url + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	code, page := get("/reports")
	if code != 200 || strings.Count(page, "<tr data-run>") != 2 || strings.Contains(page, "Never started") ||
		!strings.Contains(page, `<svg class="chart"`) || !strings.Contains(page, `data-count="sent"><div class="n">10</div>`) ||
		!strings.Contains(page, `data-count="invalid_number"><div class="n">2</div>`) {
		t.Fatalf("reports page: %d, %d runs", code, strings.Count(page, "<tr data-run>"))
	}
	today := time.Now().Format("2006-01-02")
	for path, want := range map[string]int{
		"/reports?q=diwali": 1, "/reports?state=completed": 2, "/reports?state=paused": 0,
		"/reports?from=" + today + "&to=" + today: 2, "/reports?to=2020-01-01": 0,
	} {
		if _, page := get(path); strings.Count(page, "<tr data-run>") != want {
			t.Errorf("%s: %d runs; want %d", path, strings.Count(page, "<tr data-run>"), want)
		}
	}
	for path, want := range map[string]string{
		"/reports?from=31-12-2026":               "is not a day; use the form 2026-12-31",
		"/reports?state=bogus":                   "is not a campaign state",
		"/reports?from=2026-02-01&to=2026-01-01": "is after the To day",
	} {
		if code, page := get(path); code != http.StatusUnprocessableEntity || !strings.Contains(page, want) || !strings.Contains(page, "Fix the filter above") {
			t.Errorf("%s: %d, want 422 saying %q", path, code, want)
		}
	}

	resp, err := http.Get(f.url + "/reports.csv?q=sale")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || len(rows) != 2 || rows[0][0] != "campaign" || rows[1][0] != "'=Spring sale" || rows[1][6] != "6" || rows[1][7] != "5" || rows[1][11] != "1" {
		t.Fatalf("csv = %q, %v", rows, err)
	}
	resp, _ = http.Get(f.url + "/reports.xlsx")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	x, err := excelize.OpenReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := x.GetRows("Sheet1")
	if len(xrows) != 3 || xrows[0][7] != "sent" || xrows[1][7] != "5" {
		t.Fatalf("xlsx = %q", xrows)
	}
	if code, _ := get("/reports.csv?from=nope"); code != http.StatusUnprocessableEntity {
		t.Fatalf("csv with a bad day: %d", code)
	}
}
