package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestCampaignErrorsReachThePerson: what a person did wrong comes back with
// its own status and message, word for word, from the API and the pages.
func TestCampaignErrorsReachThePerson(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s, 3)
		code, out := f.do(t, "POST", "/api/v1/campaigns", `{"name":"Later","template":"Hi {{name}}","group_ids":["`+f.group.ID+`"],"scheduled_at":"2001-01-01T00:00:00Z"}`)
		if code != http.StatusUnprocessableEntity || out["error"] != "scheduled_at: must be in the future" {
			t.Fatalf("a schedule in the past: %d %v", code, out)
		}
		if list, _ := s.ListCampaigns(context.Background(), 10); len(list) != 0 {
			t.Fatalf("a campaign that could not be scheduled was kept: %+v", list)
		}

		code, out = f.do(t, "POST", "/api/v1/campaigns", `{"name":"Now","template":"Hi {{name}}","group_ids":["`+f.group.ID+`"],"pacing":{"min_delay_ms":60000,"max_delay_ms":60000}}`)
		if code != http.StatusCreated {
			t.Fatalf("create: %d %v", code, out)
		}
		id := out["id"].(string)
		code, out = f.do(t, "POST", "/api/v1/campaigns/"+id+"/pause", "")
		if code != http.StatusConflict || out["error"] != "only a running campaign can be paused (this one is draft)" {
			t.Fatalf("pause a draft: %d %v", code, out)
		}
		code, out = f.do(t, "POST", "/api/v1/campaigns/01936b6e-0000-7000-8000-000000000000/pause", "")
		if code != http.StatusNotFound {
			t.Fatalf("pause a campaign that does not exist: %d %v", code, out)
		}
		if code, out = f.do(t, "POST", "/api/v1/campaigns/"+id+"/start", ""); code != http.StatusOK {
			t.Fatalf("start: %d %v", code, out)
		}

		// The page flashes the message on the campaign's page.
		client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.PostForm(f.url+"/campaigns/"+id+"/delete", url.Values{})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var flash string
		for _, c := range resp.Cookies() {
			if c.Name == "sambad_flash" {
				// Escaped twice: by flash, then by gin's SetCookie.
				once, _ := url.QueryUnescape(c.Value)
				flash, _ = url.QueryUnescape(once)
			}
		}
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/campaigns/"+id ||
			flash != "error:stop the campaign before deleting it" {
			t.Fatalf("delete a running campaign: %d to %q, flash %q", resp.StatusCode, resp.Header.Get("Location"), flash)
		}
		if c, err := s.GetCampaign(context.Background(), id); err != nil || c.State != models.CampaignRunning {
			t.Fatalf("after a refused delete: %+v, %v", c, err)
		}
		if strings.Contains(flash, "store:") || strings.Contains(flash, "not allowed in this state") {
			t.Fatalf("error text leaked into the message: %q", flash)
		}
	})
}
