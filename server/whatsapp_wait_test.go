package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestPagesSayWhenCampaignsWaitForWhatsApp: with WhatsApp disconnected the
// top bar says so on every page, a draft warns that starting would wait, a
// Resume says the campaign waits (once, not a resumed/paused pair per click)
// and the paused monitor links to the WhatsApp page.
func TestPagesSayWhenCampaignsWaitForWhatsApp(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, testdb.SQLite(t), 5)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	get := func(path string) string {
		t.Helper()
		resp, err := client.Get(f.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return b.String()
	}
	post := func(path string) string {
		t.Helper()
		resp, err := client.PostForm(f.url+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return b.String()
	}
	mk := func(name string) string {
		c := &models.Campaign{Name: name, Template: "Hi {{name}}", GroupIDs: []string{f.group.ID}, Pacing: models.Pacing{Preset: "custom", MinDelayMS: 60000, MaxDelayMS: 60000}}
		if err := f.store.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	draft := mk("Draft")
	if body := get("/campaigns/" + draft); strings.Contains(body, "data-wait-whatsapp") {
		t.Fatal("the draft warns about WhatsApp while it is connected")
	}
	f.sender.down.Store(true)
	for _, path := range []string{"/contacts", "/groups", "/campaigns"} {
		if body := get(path); !strings.Contains(body, `class="wa-badge pill`) {
			t.Fatalf("%s has no WhatsApp state in its top bar", path)
		}
	}
	if body := get("/campaigns/" + draft); !strings.Contains(body, "data-wait-whatsapp") || !strings.Contains(body, "if you start now, the campaign waits until it is") {
		t.Fatal("the draft does not warn that starting would wait for WhatsApp")
	}

	f.sender.down.Store(false)
	id := mk("Running")
	if _, err := f.engine.Start(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := f.engine.Pause(ctx, id); err != nil {
		t.Fatal(err)
	}
	f.sender.down.Store(true)
	if body := post("/campaigns/" + id + "/resume"); !strings.Contains(body, "the campaign waits for it and goes on by itself once it is") || strings.Contains(body, "Resumed.") {
		t.Fatal("Resume while WhatsApp is down does not say the campaign waits")
	}
	deadline := time.Now().Add(10 * time.Second)
	for c, _ := f.store.GetCampaign(ctx, id); c.PauseReason != models.PauseWhatsApp; c, _ = f.store.GetCampaign(ctx, id) {
		if time.Now().After(deadline) {
			t.Fatalf("the campaign did not wait for WhatsApp: %s %q", c.State, c.PauseReason)
		}
		time.Sleep(20 * time.Millisecond)
	}
	body := post("/campaigns/" + id + "/resume")
	if !strings.Contains(body, "already waits for it") {
		t.Fatal("a second Resume does not say the campaign already waits")
	}
	if !strings.Contains(body, `goes on by itself once it is connected · <a href="/whatsapp">Open WhatsApp</a>`) {
		t.Fatal("the paused monitor does not link to the WhatsApp page")
	}
	resumed := 0
	for _, e := range f.engine.Live(id).Events {
		if e.State == "resumed" {
			resumed++
		}
	}
	if resumed != 1 {
		t.Fatalf("two Resume clicks while disconnected logged %d resumes, want 1", resumed)
	}
	// Connected again: it goes on by itself.
	f.sender.down.Store(false)
	f.engine.SessionChanged()
	deadline = time.Now().Add(10 * time.Second)
	for c, _ := f.store.GetCampaign(ctx, id); c.State != models.CampaignRunning; c, _ = f.store.GetCampaign(ctx, id) {
		if time.Now().After(deadline) {
			t.Fatalf("the campaign did not go on once WhatsApp was back: %s", c.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
