package campaign_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// ledger is a WhatsApp stand-in over real HTTP: every message it accepts is
// appended to a file and fsynced before it answers, so the file is the truth
// about what went out, whatever happens to the engine.
type ledger struct {
	mu      sync.Mutex
	path    string
	entries []sentMsg
	onSend  func(n int) // called with the count after each write, before answering
}

func (l *ledger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/send":
		var m sentMsg
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		l.mu.Lock()
		m.ID = fmt.Sprintf("true_%s_%d", m.Phone, len(l.entries)+1)
		f, err := os.OpenFile(l.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			b, _ := json.Marshal(m)
			f.Write(append(b, '\n'))
			err = f.Sync()
			f.Close()
		}
		l.entries = append(l.entries, m)
		n := len(l.entries)
		hook := l.onSend
		l.mu.Unlock()
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		if hook != nil {
			hook(n)
		}
		json.NewEncoder(w).Encode(campaign.SendResult{Status: campaign.StatusSent, MessageID: m.ID})
	case "/recent":
		phone := r.URL.Query().Get("phone")
		l.mu.Lock()
		out := []campaign.OutgoingMessage{}
		for _, e := range l.entries {
			if e.Phone == phone {
				out = append(out, campaign.OutgoingMessage{ID: e.ID, Text: e.Text})
			}
		}
		l.mu.Unlock()
		json.NewEncoder(w).Encode(out)
	default:
		http.NotFound(w, r)
	}
}

func (l *ledger) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// httpSender is the child's Sender: the ledger over HTTP.
type httpSender struct{ base string }

func (h httpSender) Ready() bool { return true }

func (h httpSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	b, _ := json.Marshal(sentMsg{Phone: phone, Text: text})
	req, _ := http.NewRequestWithContext(ctx, "POST", h.base+"/send", bytes.NewReader(b))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return campaign.SendResult{}, err
	}
	defer resp.Body.Close()
	var res campaign.SendResult
	return res, json.NewDecoder(resp.Body).Decode(&res)
}

func (h httpSender) RecentOutgoing(ctx context.Context, phone string, n int) ([]campaign.OutgoingMessage, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", h.base+"/recent?phone="+url.QueryEscape(phone), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []campaign.OutgoingMessage
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// TestCrashChild is the engine process the crash test kills; it only runs
// when re-executed by TestCrashSafeSending.
func TestCrashChild(t *testing.T) {
	dbPath, base, id := os.Getenv("CRASH_DB"), os.Getenv("CRASH_LEDGER"), os.Getenv("CRASH_CAMPAIGN")
	if dbPath == "" {
		t.Skip("run by TestCrashSafeSending")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := models.Open(ctx, models.OpenOptions{SQLitePath: dbPath})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := campaign.New(campaign.Options{Store: s, Sender: httpSender{base}, IdlePoll: 5 * time.Millisecond})
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	for {
		c, err := s.GetCampaign(ctx, id)
		if err == nil && c.State == models.CampaignCompleted {
			cancel()
			<-done
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCrashSafeSending(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	const recipients = 300
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sambad.db")
	ctx := context.Background()
	s, err := models.Open(ctx, models.OpenOptions{SQLitePath: dbPath})
	if err != nil {
		t.Fatal(err)
	}
	g, _ := seedContacts(t, s, 0, "00")
	var ids []string
	for i := 0; i < recipients; i++ {
		var c models.Contact
		models.ContactInput{Phone: fmt.Sprintf("+1415%07d", 2000000+i), Name: fmt.Sprintf("P%d", i)}.Apply(&c, "US")
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	s.AddMembers(ctx, g.ID, ids)
	c := newCampaign(t, s, "{Hi|Hello|Hey} {{name}}, number {{phone}}", g.ID, fast)
	if _, err := campaign.New(campaign.Options{Store: s, Sender: newNullSender()}).Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	s.Close()

	l := &ledger{path: filepath.Join(dir, "ledger.jsonl")}
	srv := httptest.NewServer(l)
	defer srv.Close()

	// Five kill points, in order; odd ones strike inside a send (the message
	// is in the ledger, the engine never hears back), even ones anywhere.
	var points []int
	for spaced := false; !spaced; {
		points = points[:0]
		for range 5 {
			points = append(points, 20+rand.IntN(recipients-40))
		}
		sort.Ints(points)
		spaced = true
		for i := 1; i < len(points); i++ {
			spaced = spaced && points[i]-points[i-1] > 5
		}
	}
	t.Logf("kill points (ledger counts): %v", points)
	var mu sync.Mutex
	var child *exec.Cmd
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CRASH_DB="+dbPath, "CRASH_LEDGER="+srv.URL, "CRASH_CAMPAIGN="+c.ID)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		child = cmd
		mu.Unlock()
		return cmd
	}
	for i, p := range points {
		inSend := i%2 == 0
		killed := make(chan struct{})
		var once sync.Once
		l.mu.Lock()
		l.onSend = func(n int) {
			if inSend && n >= p {
				once.Do(func() {
					mu.Lock()
					child.Process.Kill()
					mu.Unlock()
					close(killed)
				})
			}
		}
		l.mu.Unlock()
		cmd := start()
		if !inSend {
			go func() {
				for l.count() < p {
					time.Sleep(200 * time.Microsecond)
				}
				once.Do(func() { cmd.Process.Kill(); close(killed) })
			}()
		}
		select {
		case <-killed:
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("kill point %d (%d sends) never reached; ledger has %d", i, p, l.count())
		}
		cmd.Wait()
		t.Logf("killed at %d sends (in a send: %v); ledger has %d", p, inSend, l.count())
	}
	l.mu.Lock()
	l.onSend = nil
	l.mu.Unlock()
	cmd := start()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("final run: %v\n%s", err, cmd.Stdout)
		}
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("final run did not complete; ledger has %d", l.count())
	}

	// The ledger file, not memory, is the proof.
	f, err := os.Open(l.path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	perPhone := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m sentMsg
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		perPhone[m.Phone] = append(perPhone[m.Phone], m.Text)
	}
	s, err = models.Open(ctx, models.OpenOptions{SQLitePath: dbPath})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, total, err := s.ListRecipients(ctx, models.RecipientQuery{CampaignID: c.ID, PerPage: models.MaxPerPage})
	if err != nil || total != recipients {
		t.Fatalf("recipients %d, %v", total, err)
	}
	more, _, _ := s.ListRecipients(ctx, models.RecipientQuery{CampaignID: c.ID, PerPage: models.MaxPerPage, Page: 2})
	recs = append(recs, more...)
	for _, r := range recs {
		texts := perPhone[r.Phone]
		if len(texts) != 1 {
			t.Errorf("%s: %d messages in the ledger, want exactly 1", r.Phone, len(texts))
			continue
		}
		if texts[0] != r.Body {
			t.Errorf("%s: ledger text %q, planned %q", r.Phone, texts[0], r.Body)
		}
		if r.State != models.RecipientSent {
			t.Errorf("%s: state %s", r.Phone, r.State)
		}
	}
	if len(perPhone) != recipients {
		t.Fatalf("ledger has %d phones, want %d", len(perPhone), recipients)
	}
}

// SendFile sends a file as its caption, for tests that do not look at files.
func (s httpSender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, f.Caption)
}
