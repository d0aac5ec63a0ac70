package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
)

// startServe runs `sambad serve` in-process against the simulator and returns
// its base URL and a stop func that shuts it down as SIGTERM does.
func startServe(t *testing.T, dataDir, simURL string) (string, func()) {
	t.Helper()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": dataDir, "SAMBAD_ADDR": addr}, func(k string) (string, bool) {
		switch k {
		case "SAMBAD_WHATSAPP_URL":
			return simURL, true
		case "SAMBAD_CHROME_PATH":
			return chromium, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, cfg, nil, io.Discard, io.Discard) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30 s")
		}
	}
	t.Cleanup(stop)
	return "http://" + addr, stop
}

type sessionJSON struct {
	State string  `json:"state"`
	QR    *string `json:"qr"`
	Error string  `json:"error"`
}

func waitSession(t *testing.T, base string, want string, timeout time.Duration) sessionJSON {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last sessionJSON
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/api/v1/session")
		if err == nil {
			json.NewDecoder(resp.Body).Decode(&last)
			resp.Body.Close()
			if last.State == want {
				return last
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("session never reached %s; last %+v", want, last)
	return last
}

// TestServeLinksSendsAndKeepsTheSession drives Sambad as a user would, over
// its HTTP API, with real Chromium against the simulator: the QR appears in
// the API and on the page, scanning links, a test message reaches the phone
// exactly, and after a restart the session is back without a QR.
func TestServeLinksSendsAndKeepsTheSession(t *testing.T) {
	requireChromium(t)
	sim, simURL := startSimulator(t)
	dataDir := t.TempDir()

	base, stop := startServe(t, dataDir, simURL)
	st := waitSession(t, base, "qr", 60*time.Second)
	if st.QR == nil || !strings.HasPrefix(*st.QR, "2@") {
		t.Fatalf("session in qr without a payload: %+v", st)
	}
	page, _ := http.Get(base + "/whatsapp")
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(body), `src="data:image/png;base64,`) {
		t.Fatalf("the WhatsApp page does not show the QR image:\n%s", body)
	}
	if err := sim.ScanRef(*st.QR); err != nil {
		t.Fatalf("scan: %v", err)
	}
	waitSession(t, base, "ready", 30*time.Second)
	// The home page shows the account live and the link in its events.
	var home string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + "/"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if home = string(b); strings.Contains(home, "WhatsApp: Connected") {
				break
			}
		}
	}
	for _, want := range []string{"WhatsApp: Scan the QR code", "WhatsApp: Connected", `data-state="ready"`} {
		if !strings.Contains(home, want) {
			t.Errorf("the home page lacks %q once linked:\n%s", want, home)
		}
	}

	text := "Namaste 🙏\nYour order #42 is ready."
	reqBody, _ := json.Marshal(map[string]string{"phone": "98765 43210", "text": text})
	resp, err := http.Post(base+"/api/v1/messages", "application/json", bytes.NewReader(reqBody))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(out), `"status":"sent"`) {
		t.Fatalf("send: %d %s", resp.StatusCode, out)
	}
	ledger := sim.Ledger()
	if len(ledger) != 1 || ledger[0].Text != text || !strings.Contains(ledger[0].Phone, "919876543210") {
		t.Fatalf("ledger = %+v", ledger)
	}

	sim.SetUnknown("919876500000") // digits, as click-to-chat carries them
	reqBody, _ = json.Marshal(map[string]string{"phone": "+91 98765 00000", "text": "hi"})
	resp, _ = http.Post(base+"/api/v1/messages", "application/json", bytes.NewReader(reqBody))
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity || len(sim.Ledger()) != 1 {
		t.Fatalf("unknown number: status %d, ledger %d", resp.StatusCode, len(sim.Ledger()))
	}

	stop()
	info, err := os.Stat(dataDir + "/whatsapp-session")
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("profile directory: %v %v", info, err)
	}
	base, _ = startServe(t, dataDir, simURL)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/api/v1/session")
		if err == nil {
			var s sessionJSON
			json.NewDecoder(resp.Body).Decode(&s)
			resp.Body.Close()
			if s.State == "qr" {
				t.Fatal("a restart with a linked profile asked for a QR code again")
			}
			if s.State == "ready" {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("restart never reached ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
