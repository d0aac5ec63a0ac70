package server_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestCampaignScreens serves campaigns in every stage for screenshots; it
// runs only with SAMBAD_SCREENS=1 and holds the server for two minutes.
func TestCampaignScreens(t *testing.T) {
	if os.Getenv("SAMBAD_SCREENS") == "" {
		t.Skip("set SAMBAD_SCREENS=1 to serve screenshot data")
	}
	ctx := context.Background()
	f := newFixture(t, testdb.SQLite(t), 300)
	for i := 0; i < 300; i += 9 {
		f.sender.invalid[fmt.Sprintf("+1415%07d", 3000000+i)] = true
	}
	mk := func(name, tpl string, p models.Pacing) string {
		c := &models.Campaign{Name: name, Template: tpl, GroupIDs: []string{f.group.ID}, Pacing: p}
		if err := f.store.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	done := mk("Spring sale", "{Hi|Hello|Hey} {{name}}! Our spring sale starts today in {{city}}.", models.Pacing{Preset: "custom"})
	f.engine.Start(ctx, done)
	for c, _ := f.store.GetCampaign(ctx, done); c.State != "completed"; c, _ = f.store.GetCampaign(ctx, done) {
		time.Sleep(20 * time.Millisecond)
	}
	rs, _, _ := f.store.ListRecipients(ctx, models.RecipientQuery{CampaignID: done, States: []string{"sent"}, PerPage: 200})
	for i, r := range rs {
		if i%2 == 0 {
			f.engine.HandleAck(r.MessageID, "delivered")
		}
		if i%3 == 0 {
			f.engine.HandleAck(r.MessageID, "read")
		}
	}
	running := mk("Diwali greetings", "{Hi|Hello} {{name}}, happy Diwali from all of us! {{v1|}}", models.Pacing{Preset: "custom", MinDelayMS: 300, MaxDelayMS: 900, PauseEvery: 50, PauseMS: 60000})
	f.engine.Start(ctx, running)
	mk("New year (draft)", "{Hi|Hello} {{name}},\nHappy new year from {{city}}! Use code {{v1|NY2026}}.", models.Pacing{Preset: "medium", MinDelayMS: 20000, MaxDelayMS: 50000, QuietStart: "21:00", QuietEnd: "09:00", DailyCap: 500})
	fmt.Printf("SCREENS %s done=%s running=%s\n", f.url, done, running)
	time.Sleep(2 * time.Minute)
}
