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

// The report's CSV and XLSX carry the account each recipient was sent
// through, by name, in a last "account" column.
func TestExportCarriesTheSendingAccount(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 3)
	ctx := t.Context()
	for _, name := range []string{"Front desk", "=Shop phone"} {
		if err := f.store.CreateWhatsAppAccount(ctx, &models.WhatsAppAccount{Name: name}, 0); err != nil {
			t.Fatal(err)
		}
	}
	accts, _ := f.store.ListWhatsAppAccounts(ctx)
	c := &models.Campaign{Name: "Via the shop", Template: "Hi {{name}}", GroupIDs: []string{f.group.ID},
		Pacing: models.Pacing{Preset: "custom"}, AccountIDs: models.IDList{accts[1].ID}}
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
	resp, err := http.Get(f.url + "/api/v1/campaigns/" + c.ID + "/report.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || len(rows) != 4 || rows[0][len(rows[0])-1] != "account" {
		t.Fatalf("csv = %q, %v", rows, err)
	}
	for _, r := range rows[1:] {
		if r[len(r)-1] != "'=Shop phone" {
			t.Fatalf("row %q: the account is not the campaign's (neutralised)", r)
		}
	}
	resp, err = http.Get(f.url + "/campaigns/" + c.ID + "/report.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	x, err := excelize.OpenReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := x.GetRows("Sheet1")
	if len(xrows) != 4 || xrows[0][11] != "account" || xrows[1][11] != "'=Shop phone" {
		t.Fatalf("xlsx = %q", xrows)
	}
}
