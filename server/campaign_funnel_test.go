package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
)

// pageCounts reads the numbers of a campaign page's boxes, by key.
func pageCounts(t *testing.T, url string) (map[string]string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`data-count="([a-z_]+)"><div class="n">(\d+)</div><div class="l">([^<(]+)`).FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = m[2] + " " + strings.TrimSpace(m[3])
	}
	return out, string(b)
}

// TestMonitorAndReportAgree: the monitor and the report show the same
// numbers under the same words for the same run (the monitor used to show
// 16 delivered and 2 read where the report said 18 and 2, and
// "invalid_number" where the report said "not on WhatsApp").
func TestMonitorAndReportAgree(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 20)
	done, _ := uiCampaigns(t, f) // every 7th is not on WhatsApp, half the sent ones delivered
	monitor, mbody := pageCounts(t, f.url+"/campaigns/"+done)
	report, _ := pageCounts(t, f.url+"/campaigns/"+done+"/report")
	if len(monitor) != 7 {
		t.Fatalf("the monitor shows %d boxes: %v", len(monitor), monitor)
	}
	for k, v := range monitor {
		if report[k] != v {
			t.Errorf("%s: the monitor shows %q, the report %q", k, v, report[k])
		}
	}
	if monitor["invalid_number"] != "3 not on WhatsApp" || monitor["sent"] != "17 sent" || monitor["delivered"] != "9 delivered" {
		t.Errorf("monitor boxes: %v", monitor)
	}
	if strings.Contains(mbody, ">invalid_number<") {
		t.Error("the monitor's activity shows the code invalid_number instead of words")
	}
	// A box's link lists exactly the recipients it counts.
	resp, _ := http.Get(f.url + "/campaigns/" + done + "/recipients?state=delivered,read")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "9 delivered or read") || strings.Count(string(b), `class="pill st-r-delivered">delivered<`) != 9 {
		t.Errorf("the delivered box's list does not show its 9 recipients")
	}
}
