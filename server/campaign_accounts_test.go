package server_test

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
	"github.com/sambad/sambad/server"
)

// storedAccounts is the accounts port over the stored rows, each in the
// session state the test sets.
type storedAccounts struct {
	store  *models.Store
	mu     sync.Mutex
	states map[string]string
	subs   []chan string
}

func (f *storedAccounts) List(ctx context.Context) ([]server.Account, error) {
	rows, err := f.store.ListWhatsAppAccounts(ctx)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]server.Account, len(rows))
	for i, r := range rows {
		st := f.states[r.ID]
		out[i] = server.Account{ID: r.ID, Name: r.Name, Phone: r.Phone, Here: true, State: st, Session: server.SessionStatus{State: st, Phone: r.Phone}}
	}
	return out, nil
}

func (f *storedAccounts) Get(ctx context.Context, id string) (server.Account, error) {
	list, err := f.List(ctx)
	if err != nil {
		return server.Account{}, err
	}
	for _, a := range list {
		if a.ID == id {
			return a, nil
		}
	}
	return server.Account{}, models.ErrNotFound
}

func (f *storedAccounts) Create(ctx context.Context, name string) (server.Account, error) {
	return server.Account{}, fmt.Errorf("not in this test")
}

func (f *storedAccounts) Update(ctx context.Context, id string, p models.WhatsAppAccountPatch) (server.Account, error) {
	return server.Account{}, fmt.Errorf("not in this test")
}

func (f *storedAccounts) Remove(ctx context.Context, id string) error {
	return fmt.Errorf("not in this test")
}
func (f *storedAccounts) Session(id string) server.WhatsApp { return nil }

func (f *storedAccounts) Subscribe() (<-chan string, func()) {
	ch := make(chan string, 8)
	f.mu.Lock()
	f.subs = append(f.subs, ch)
	f.mu.Unlock()
	return ch, func() {}
}

// set changes an account's state and tells the subscribers.
func (f *storedAccounts) set(id, state string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states[id] = state
	for _, ch := range f.subs {
		select {
		case ch <- id:
		default:
		}
	}
}

// acctSite is a server whose campaign engine does not run: the test moves
// recipients itself, through the store, onto the accounts it chooses.
type acctSite struct {
	url      string
	store    *models.Store
	engine   *campaign.Engine
	accounts *storedAccounts
	ids      []string // Front desk, Shop phone, Backup
	contacts []string
}

func newAcctSite(t *testing.T, n int) *acctSite {
	t.Helper()
	ctx := context.Background()
	s := testdb.SQLite(t)
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir()}, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	e := campaign.New(campaign.Options{Store: s, Sender: &memSender{sent: map[string][]string{}, invalid: map[string]bool{}}, Location: cfg.Location()})
	fa := &storedAccounts{store: s, states: map[string]string{}}
	site := &acctSite{store: s, engine: e, accounts: fa}
	for i, name := range []string{"Front desk", "Shop phone", "Backup"} {
		a := &models.WhatsAppAccount{Name: name}
		if err := s.CreateWhatsAppAccount(ctx, a, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.SetWhatsAppAccountPhone(ctx, a.ID, fmt.Sprintf("+9198666%05d", i+1)); err != nil {
			t.Fatal(err)
		}
		fa.states[a.ID] = "ready"
		site.ids = append(site.ids, a.ID)
	}
	srv, err := server.New(server.Deps{Config: cfg, Store: s, Campaigns: e, Accounts: fa})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	site.url = hs.URL
	for i := range n {
		var c models.Contact
		models.ContactInput{Phone: fmt.Sprintf("+1415%07d", 5000000+i), Name: fmt.Sprintf("Person %d", i)}.Apply(&c, "US")
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		site.contacts = append(site.contacts, c.ID)
	}
	return site
}

// started makes a campaign over accounts and starts it (planned, running;
// nothing sends until the test claims).
func (x *acctSite) started(t *testing.T, name string, accounts []string) *models.Campaign {
	t.Helper()
	c := &models.Campaign{Name: name, Template: "Hi {{name}}", ContactIDs: x.contacts, AccountIDs: accounts,
		Pacing: models.Pacing{Preset: "custom", MinDelayMS: 20000, MaxDelayMS: 30000}}
	if err := x.store.CreateCampaign(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if _, err := x.engine.Start(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

// send claims n recipients on account acct and records each outcome in
// turn from outs (sent, failed, invalid_number; "" leaves it sending).
func (x *acctSite) send(t *testing.T, c *models.Campaign, acct string, outs ...string) []models.Recipient {
	t.Helper()
	ctx := context.Background()
	recs, err := x.store.ClaimPendingOn(ctx, c.ID, acct, 1, len(outs))
	if err != nil || len(recs) != len(outs) {
		t.Fatalf("claim %d on %s: %d, %v", len(outs), acct, len(recs), err)
	}
	var done []models.Outcome
	for i, st := range outs {
		if st == "" {
			continue
		}
		o := models.Outcome{Seq: recs[i].Seq, State: st, At: time.Now()}
		if st == models.RecipientSent {
			o.MessageID = fmt.Sprintf("msg-%s-%d", c.ID[:8], recs[i].Seq)
		} else {
			o.Error = "no luck"
		}
		done = append(done, o)
	}
	if err := x.store.RecordOutcomes(ctx, c.ID, done); err != nil {
		t.Fatal(err)
	}
	return recs
}

func pageBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d\n%s", url, resp.StatusCode, b.String())
	}
	return b.String()
}

// accountRow returns the "By account" row of account id, its text with
// tags removed and spaces squeezed.
func accountRow(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr data-account="` + id + `">(.*?)</tr>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no By account row for %s in:\n%s", id, body)
	}
	return strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], " "))), " ")
}

// rotating is a campaign of 12 over the three accounts, the third logged
// out while it holds a recipient: Front desk sent 4 (2 delivered, 1 of them
// read) and failed 1, Shop phone sent 3 and found 1 not on WhatsApp.
func (x *acctSite) rotating(t *testing.T) *models.Campaign {
	t.Helper()
	c := x.started(t, "Diwali across three", x.ids)
	recs := x.send(t, c, x.ids[0], "sent", "sent", "sent", "sent", "failed")
	x.send(t, c, x.ids[1], "sent", "invalid_number", "sent", "sent")
	x.send(t, c, x.ids[2], "")
	ctx := context.Background()
	for i, st := range []string{"delivered", "read"} {
		if _, err := x.store.ApplyAck(ctx, fmt.Sprintf("msg-%s-%d", c.ID[:8], recs[i].Seq), st, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	x.accounts.set(x.ids[2], "logged_out")
	return c
}

// The monitor of a rotating campaign shows each account's counts, its
// state, its share, and the recipient a logged-out account holds; the live
// stream sends the same section, and it follows an account's state.
func TestMonitorByAccount(t *testing.T) {
	x := newAcctSite(t, 12)
	c := x.rotating(t)
	body := pageBody(t, x.url+"/campaigns/"+c.ID)
	if !strings.Contains(body, "By account") || !strings.Contains(body, "rotating over 3 accounts") {
		t.Fatalf("no By account section:\n%s", body)
	}
	for i, want := range []string{
		"Front desk " + phone.Readable("+919866600001") + " Connected 4 2 1 1 0 0 57%",
		"Shop phone " + phone.Readable("+919866600002") + " Connected 3 0 0 0 1 0 42%",
		"Backup " + phone.Readable("+919866600003") + " 1 held by Backup, waiting for it · Open accounts Logged out 0 0 0 0 0 1 0%",
	} {
		if got := accountRow(t, body, x.ids[i]); got != want {
			t.Errorf("row %d = %q, want %q", i, got, want)
		}
	}
	// The same section over the live stream; an account coming back is
	// shown at once (not at the next 3 s refresh).
	next := monitorEvents(t, x.url+"/campaigns/"+c.ID+"/events")
	live := next(5 * time.Second)
	if got := accountRow(t, live, x.ids[2]); !strings.Contains(got, "1 held by Backup, waiting for it · Open accounts Logged out") {
		t.Fatalf("live row of Backup: %q", got)
	}
	if got := accountRow(t, live, x.ids[0]); !strings.HasPrefix(got, "Front desk") || !strings.Contains(got, "4 2 1 1") {
		t.Fatalf("live row of Front desk: %q", got)
	}
	x.accounts.set(x.ids[2], "ready")
	live = next(2 * time.Second)
	if got := accountRow(t, live, x.ids[2]); !strings.Contains(got, "Connected") || strings.Contains(got, "waiting for it") {
		t.Fatalf("live row once Backup is back: %q", got)
	}

	// One account: the section with one row. No account: no section.
	one := x.started(t, "Through the shop", x.ids[1:2])
	body = pageBody(t, x.url+"/campaigns/"+one.ID)
	if !strings.Contains(body, "sent through one account") || strings.Count(body, "<tr data-account=") != 1 {
		t.Fatalf("a one-account campaign's section:\n%s", body)
	}
	none := x.started(t, "As before accounts", nil)
	if body = pageBody(t, x.url+"/campaigns/"+none.ID); strings.Contains(body, "By account") {
		t.Fatalf("a campaign without accounts shows By account")
	}
}

// monitorEvents opens a monitor's stream and returns a function reading
// its next "monitor" event, failing after wait.
func monitorEvents(t *testing.T, url string) func(wait time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		var b strings.Builder
		in := false
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "event: monitor":
				in = true
			case in && strings.HasPrefix(line, "data:"):
				b.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ") + "\n")
			case in && line == "":
				events <- b.String()
				b.Reset()
				in = false
			}
		}
		close(events)
	}()
	return func(wait time.Duration) string {
		t.Helper()
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the stream ended")
			}
			return ev
		case <-time.After(wait):
			t.Fatalf("no monitor event within %s", wait)
		}
		return ""
	}
}

// The report shows the same table, and the recipients page names the
// account of each recipient.
func TestReportByAccount(t *testing.T) {
	x := newAcctSite(t, 12)
	c := x.rotating(t)
	body := pageBody(t, x.url+"/campaigns/"+c.ID+"/report")
	if got := accountRow(t, body, x.ids[1]); !strings.HasPrefix(got, "Shop phone") || !strings.Contains(got, "3 0 0 0 1 0 42%") {
		t.Fatalf("report row of Shop phone: %q", got)
	}
	body = pageBody(t, x.url+"/campaigns/"+c.ID+"/recipients")
	if !strings.Contains(body, "<th>Account</th>") {
		t.Fatalf("no Account column:\n%s", body)
	}
	got := map[string]int{}
	for _, m := range regexp.MustCompile(`<td class="acct" data-account="([^"]*)">([^<]*)</td>`).FindAllStringSubmatch(body, -1) {
		got[m[2]]++
	}
	if got["Front desk"] != 5 || got["Shop phone"] != 4 || got["Backup"] != 1 || got[""] != 2 {
		t.Fatalf("accounts per row: %v", got)
	}
}

// The PDF report has the By account table and names, on each recipient's
// row, the account that holds or sent it.
func TestCampaignReportPDFByAccount(t *testing.T) {
	x := newAcctSite(t, 12)
	c := x.rotating(t)
	text := pdfText(t, x.url+"/campaigns/"+c.ID+"/report.pdf")
	words := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"By account", "Share of sent",
		"Front desk " + phone.Readable("+919866600001") + " 4 2 1 1 0 0 57%",
		"Shop phone " + phone.Readable("+919866600002") + " 3 0 0 0 1 0 42%",
		"Backup " + phone.Readable("+919866600003") + " 0 0 0 0 0 1 0%",
		"Account",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	// Person 0-4 went through Front desk, 5-8 through Shop phone, 9 is
	// held by Backup, 10 and 11 are not claimed yet.
	want := map[int]string{0: "Front desk", 4: "Front desk", 5: "Shop phone", 8: "Shop phone", 9: "Backup"}
	for _, line := range strings.Split(text, "\n") {
		for i, acct := range want {
			if strings.Contains(line, phone.Readable(fmt.Sprintf("+1415%07d", 5000000+i))) {
				if !strings.Contains(line, acct) {
					t.Errorf("Person %d's row does not name %s: %q", i, acct, line)
				}
				delete(want, i)
			}
		}
		if strings.Contains(line, phone.Readable("+14155000011")) && (strings.Contains(line, "Front desk") || strings.Contains(line, "Shop phone") || strings.Contains(line, "Backup")) {
			t.Errorf("an unclaimed recipient names an account: %q", line)
		}
	}
	if len(want) != 0 {
		t.Errorf("rows not found: %v\n%s", want, text)
	}
}
