package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
)

// pdfText fetches a PDF and returns its text, read back by poppler's
// pdftotext (installed by scripts/test-deps.sh).
func pdfText(t *testing.T, url string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is missing: run scripts/test-deps.sh (poppler-utils)")
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("GET %s: %d %s %.200q", url, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, ".pdf") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	// SAMBAD_KEEP_PDF=dir keeps the files, to look at them.
	dir := os.Getenv("SAMBAD_KEEP_PDF")
	if dir == "" {
		dir = t.TempDir()
	}
	file := filepath.Join(dir, strings.NewReplacer("/", "_", ":", "_", "?", "_").Replace(url[len(url)-40:]))
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}

// TestCampaignReportPDF makes the report and its failures-only variant with
// real Chromium and reads them back: totals, the failed recipients with
// their reasons, non-Latin names, and nothing but failures in the second.
func TestCampaignReportPDF(t *testing.T) {
	s := testdb.SQLite(t)
	f := newFixture(t, s, 30)
	ctx := context.Background()
	// Names in Devanagari, Arabic and with an emoji, two of them failing.
	extra := []struct{ phone, name, reason string }{
		{"+919811122301", "आशा शर्मा", "no internet connection"},
		{"+971501234567", "محمد علي", "message stayed unsent"},
		{"+919811122303", "Ravi 🎉 Kumar", ""},
	}
	var ids []string
	for _, x := range extra {
		c := models.Contact{Phone: x.phone, Name: x.name}
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if x.reason != "" {
			f.sender.mu.Lock()
			if f.sender.failed == nil {
				f.sender.failed = map[string]string{}
			}
			f.sender.failed[x.phone] = x.reason
			f.sender.mu.Unlock()
		}
	}
	s.AddMembers(ctx, f.group.ID, ids)
	f.sender.invalid["+14153000007"] = true

	code, out := f.do(t, "POST", "/api/v1/campaigns", `{"name":"Diwali offer","template":"Hi {{name}}","group_ids":["`+f.group.ID+`"],"pacing":{"min_delay_ms":0,"max_delay_ms":1}}`)
	if code != 201 {
		t.Fatalf("create: %d %v", code, out)
	}
	id := out["id"].(string)
	if code, out = f.do(t, "POST", "/api/v1/campaigns/"+id+"/start", ""); code != 200 {
		t.Fatalf("start: %d %v", code, out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for out["state"] != "completed" {
		if time.Now().After(deadline) {
			t.Fatalf("not completed: %v", out)
		}
		time.Sleep(20 * time.Millisecond)
		_, out = f.do(t, "GET", "/api/v1/campaigns/"+id, "")
	}

	full := pdfText(t, f.url+"/api/v1/campaigns/"+id+"/report.pdf")
	words := strings.Join(strings.Fields(full), " ")
	for _, want := range []string{
		"Diwali offer — campaign report", "33 recipients", "Totals",
		"Recipients (33)", "Runs",
		phone.Readable("+919811122301") + " failed", "no internet connection",
		phone.Readable("+971501234567") + " failed", "message stayed unsent",
		phone.Readable("+14153000007") + " not on WhatsApp",
		"Ravi", "Kumar", "Person 12", phone.Readable("+14153000012"),
	} {
		if !strings.Contains(words, want) {
			t.Errorf("the report lacks %q:\n%s", want, full)
		}
	}
	// The totals: 30 sent, 2 failed, 1 not on WhatsApp.
	for _, want := range []string{"30 sent", "2 failed", "1 not on WhatsApp"} {
		if !strings.Contains(totalsLine(words), want) {
			t.Errorf("totals lack %q: %s", want, totalsLine(words))
		}
	}
	// Shaped text is extracted as the fonts map it; the Arabic and Hindi
	// names must at least come out as their own script, not as boxes.
	if !strings.ContainsAny(full, "محمدعلي") || !strings.ContainsAny(full, "आशमर") {
		t.Errorf("the non-Latin names are not in the text:\n%s", full)
	}

	failed := pdfText(t, f.url+"/campaigns/"+id+"/report.pdf?only=failed")
	fw := strings.Join(strings.Fields(failed), " ")
	for _, want := range []string{"Diwali offer — failures", "Failed recipients (3)", "no internet connection", "message stayed unsent", phone.Readable("+14153000007")} {
		if !strings.Contains(fw, want) {
			t.Errorf("the failures report lacks %q:\n%s", want, failed)
		}
	}
	for _, notWant := range []string{"Person 12", "Ravi", phone.Readable("+14153000012")} {
		if strings.Contains(fw, notWant) {
			t.Errorf("the failures report lists %q, which did not fail:\n%s", notWant, failed)
		}
	}

	// An unknown campaign: 404 with a message, in JSON on the API.
	resp, err := http.Get(f.url + "/api/v1/campaigns/0190a0a0-0000-7000-8000-000000000000/report.pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(string(b), `"error"`) {
		t.Fatalf("unknown campaign: %d %s", resp.StatusCode, b)
	}
}

// totalsLine is the text between "Totals" and "Delivery", the totals boxes.
func totalsLine(words string) string {
	_, after, _ := strings.Cut(words, "Totals")
	before, _, _ := strings.Cut(after, "Delivery")
	return fmt.Sprint(before)
}
