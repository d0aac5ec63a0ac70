package server_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestCampaignDuplicateAPI: POST /api/v1/campaigns/{id}/duplicate answers
// 201 with the new draft as GET shows it; the copy starts and sends.
func TestCampaignDuplicateAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s, 5)
		code, out := f.do(t, "POST", "/api/v1/campaigns", `{"name":"Launch","template":"Hi {{name}}","group_ids":["`+f.group.ID+`"],"pacing":{"preset":"custom","min_delay_ms":0,"max_delay_ms":1,"daily_cap":500}}`)
		if code != 201 {
			t.Fatalf("create: %d %v", code, out)
		}
		id := out["id"].(string)
		if code, out = f.do(t, "POST", "/api/v1/campaigns/"+id+"/start", ""); code != 200 {
			t.Fatalf("start: %d %v", code, out)
		}
		code, cp := f.do(t, "POST", "/api/v1/campaigns/"+id+"/duplicate", "")
		if code != http.StatusCreated || cp["id"] == id || cp["name"] != "Launch (copy)" || cp["state"] != "draft" ||
			cp["template"] != "Hi {{name}}" || cp["total"] != float64(0) {
			t.Fatalf("duplicate: %d %v", code, cp)
		}
		if p := cp["pacing"].(map[string]any); p["daily_cap"] != float64(500) || p["max_delay_ms"] != float64(1) {
			t.Fatalf("copy's pacing = %v", p)
		}
		if g := cp["group_ids"].([]any); len(g) != 1 || g[0] != f.group.ID {
			t.Fatalf("copy's groups = %v", g)
		}
		// The same shape as GET.
		_, got := f.do(t, "GET", "/api/v1/campaigns/"+cp["id"].(string), "")
		for k := range got {
			if _, ok := cp[k]; !ok {
				t.Errorf("GET has %q, the duplicate's answer does not", k)
			}
		}
		newID := cp["id"].(string)
		if code, out = f.do(t, "POST", "/api/v1/campaigns/"+newID+"/start", ""); code != 200 || out["total"] != float64(5) {
			t.Fatalf("start the copy: %d %v", code, out)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, a := f.do(t, "GET", "/api/v1/campaigns/"+id, "")
			_, b := f.do(t, "GET", "/api/v1/campaigns/"+newID, "")
			if a["state"] == "completed" && b["state"] == "completed" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("not completed: %v / %v", a["state"], b["state"])
			}
			time.Sleep(20 * time.Millisecond)
		}
		for phone, texts := range f.sender.sent {
			if len(texts) != 2 {
				t.Fatalf("%s got %q; want the message once per campaign", phone, texts)
			}
		}

		code, out = f.do(t, "POST", "/api/v1/campaigns/"+models.NewID()+"/duplicate", "")
		if code != http.StatusNotFound || out["error"] == nil {
			t.Fatalf("duplicate an unknown campaign: %d %v", code, out)
		}
	})
}

// TestCampaignRunAgainButton: the campaign page offers "Duplicate" on a
// draft and "Run again" once finished; the button (a plain form) opens the
// new draft.
func TestCampaignRunAgainButton(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 3)
	ctx := t.Context()
	src := &models.Campaign{Name: "Diwali", Template: "Hi {{name}}", GroupIDs: []string{f.group.ID}}
	if err := f.engine.Create(ctx, src); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	page := func(path string) string {
		resp, err := client.Get(f.url + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp.Status, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(b)
	}
	if p := page("/campaigns/" + src.ID); !strings.Contains(p, `action="/campaigns/`+src.ID+`/duplicate"`) || !strings.Contains(p, ">Duplicate</button>") {
		t.Fatal("the draft's page has no Duplicate button")
	}
	testdb.Gorm(f.store).Exec(`UPDATE campaigns SET state = ? WHERE id = ?`, models.CampaignCompleted, src.ID)
	if p := page("/campaigns/" + src.ID); !strings.Contains(p, ">Run again</button>") {
		t.Fatal("the completed campaign's page has no Run again button")
	}
	resp, err := client.PostForm(f.url+"/campaigns/"+src.ID+"/duplicate", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path == "/campaigns/"+src.ID ||
		!strings.Contains(string(b), "Diwali (copy)") || !strings.Contains(string(b), "Start now") || !strings.Contains(string(b), "A new draft with the same message") {
		t.Fatalf("after Run again: %s at %s", resp.Status, resp.Request.URL.Path)
	}
	// An unknown campaign is the not-found page, not a new draft.
	resp, _ = client.PostForm(f.url+"/campaigns/"+models.NewID()+"/duplicate", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("run again of an unknown campaign: %s", resp.Status)
	}
	if cs, _ := f.store.ListCampaigns(ctx, 10); len(cs) != 2 {
		t.Fatalf("%d campaigns; want the original and one copy", len(cs))
	}
}
