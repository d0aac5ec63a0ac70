package cli

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/models"
)

type numberCheckView struct {
	Check   models.NumberCheck       `json:"check"`
	Done    int                      `json:"done"`
	Results []models.NumberCheckItem `json:"results"`
}

// TestServeNumberCheckSurvivesKill9 starts a number check through the API
// of a real `sambad serve` (real Chromium, the simulator with its timings),
// kills Sambad with SIGKILL half-way, starts it again and checks that the
// job goes on where it was and ends with every number's right answer,
// written to the contacts, and nothing sent.
func TestServeNumberCheckSurvivesKill9(t *testing.T) {
	dir := shortTempDir(t, "nck")
	exe := sambadBinary(t)
	sim, simURL := startSimulator(t)
	dataDir := filepath.Join(dir, "data")

	child := startServeChild(t, exe, dataDir, simURL)
	st := child.session(t, "qr", false, 90*time.Second)
	if st.QR == nil {
		child.fatal(t, "session in qr without a payload: %+v", st)
	}
	if err := sim.ScanRef(*st.QR); err != nil {
		t.Fatalf("scan: %v", err)
	}
	child.session(t, "ready", false, 60*time.Second)

	const n = 8
	var numbers []string
	want := map[string]string{}
	for i := 0; i < n; i++ {
		ph := fmt.Sprintf("+9198733%05d", i)
		var c models.Contact
		child.api(t, http.MethodPost, "/api/v1/contacts", map[string]any{"phone": ph, "name": fmt.Sprintf("Check %d", i)}, &c)
		numbers = append(numbers, ph)
		want[ph] = models.NumberOnWhatsApp
		if i%3 == 1 {
			sim.SetUnknown(strings.TrimPrefix(ph, "+"))
			want[ph] = models.NumberNotOnWA
		}
	}
	var job models.NumberCheck
	child.api(t, http.MethodPost, "/api/v1/numbers/check", map[string]any{"numbers": numbers,
		"pacing": map[string]any{"preset": "custom", "min_delay_ms": 1000, "max_delay_ms": 1200}}, &job)
	get := func() numberCheckView {
		var v numberCheckView
		child.api(t, http.MethodGet, "/api/v1/numbers/check/"+job.ID, nil, &v)
		return v
	}
	deadline := time.Now().Add(120 * time.Second)
	for v := get(); v.Done < 3; v = get() {
		if time.Now().After(deadline) || v.Check.Finished() {
			child.fatal(t, "the check never had 3 answers before the kill: %+v", v.Check)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := child.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-child.exited
	store, err := models.Open(t.Context(), models.OpenOptions{SQLitePath: filepath.Join(dataDir, "sambad.db")})
	if err != nil {
		t.Fatal(err)
	}
	mid, err := store.GetNumberCheck(t.Context(), job.ID)
	store.Close()
	if err != nil || mid.Finished() || mid.Counts.Done() < 3 {
		t.Fatalf("after the kill the job is %+v (%v), want unfinished with at least 3 answers", mid, err)
	}
	t.Logf("killed with %d of %d numbers checked", mid.Counts.Done(), n)

	child = startServeChild(t, exe, dataDir, simURL)
	child.session(t, "ready", true, 90*time.Second)
	deadline = time.Now().Add(180 * time.Second)
	v := get()
	for ; !v.Check.Finished(); v = get() {
		if time.Now().After(deadline) {
			child.fatal(t, "the check did not finish after the restart: %+v", v.Check)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if v.Check.State != models.NumberCheckDone || v.Done != n || v.Check.Counts.Errors != 0 {
		child.fatal(t, "the check ended %+v", v.Check)
	}
	for _, r := range v.Results {
		if r.Result != want[r.Phone] {
			t.Errorf("%s: %s, want %s", r.Phone, r.Result, want[r.Phone])
		}
	}
	var page struct {
		Total int `json:"total"`
	}
	child.api(t, http.MethodGet, "/api/v1/contacts?on_whatsapp=false", nil, &page)
	if page.Total != 3 {
		t.Errorf("%d contacts known not on WhatsApp, want 3", page.Total)
	}
	if len(sim.Ledger()) != 0 {
		t.Errorf("the check sent %d messages", len(sim.Ledger()))
	}
	child.sigterm(t, filepath.Join(dataDir, "error.log"), 30*time.Second)
}
