package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/models"
)

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveChild is `sambad serve` running as its own process.
type serveChild struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	base   string
	exited chan struct{}
	err    error // set when exited is closed
}

// startServeChild starts the built binary on dataDir against the simulator.
// It is killed at cleanup if the test has not stopped it.
func startServeChild(t *testing.T, exe, dataDir, simURL string, extraEnv ...string) *serveChild {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	env := append([]string{"SAMBAD_DATA_DIR=" + dataDir, "SAMBAD_ADDR=" + addr, "SAMBAD_WHATSAPP_URL=" + simURL, "SAMBAD_CHROME_PATH=" + chromium}, extraEnv...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SAMBAD_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	c := &serveChild{out: &syncBuffer{}, base: "http://" + addr, exited: make(chan struct{})}
	c.cmd = exec.Command(exe, "serve")
	c.cmd.Env = env
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start sambad serve: %v", err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			c.cmd.Process.Kill()
			<-c.exited
		}
	})
	return c
}

// fatal stops the test showing the child's output.
func (c *serveChild) fatal(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Fatalf(format+"\n--- sambad output ---\n%s", append(args, c.out.String())...)
}

// api sends a JSON request and decodes a JSON answer into out.
func (c *serveChild) api(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		c.fatal(t, "%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		c.fatal(t, "%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.fatal(t, "%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

// session polls GET /api/v1/session until want; a QR while failOnQR is a
// failure (a linked profile must not ask again).
func (c *serveChild) session(t *testing.T, want string, failOnQR bool, timeout time.Duration) sessionJSON {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last sessionJSON
	for time.Now().Before(deadline) {
		select {
		case <-c.exited:
			c.fatal(t, "sambad exited (%v) while waiting for session %s", c.err, want)
		default:
		}
		resp, err := http.Get(c.base + "/api/v1/session")
		if err == nil {
			last = sessionJSON{}
			json.NewDecoder(resp.Body).Decode(&last)
			resp.Body.Close()
			if last.State == want {
				return last
			}
			if failOnQR && last.State == "qr" {
				c.fatal(t, "a restart with a linked profile asked for a QR code again")
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.fatal(t, "session never reached %s; last %+v", want, last)
	return last
}

// campaignView is the part of GET /api/v1/campaigns/{id} the test reads.
type campaignView struct {
	ID          string           `json:"id"`
	State       string           `json:"state"`
	PauseReason string           `json:"pause_reason"`
	LastError   string           `json:"last_error"`
	Counts      map[string]int64 `json:"counts"`
	Total       int64            `json:"total"`
}

func (v campaignView) sent() int64 {
	return v.Counts[models.RecipientSent] + v.Counts[models.RecipientDelivered] + v.Counts[models.RecipientRead]
}

// waitCampaign polls the campaign until done says so.
func (c *serveChild) waitCampaign(t *testing.T, id string, timeout time.Duration, what string, done func(campaignView) bool) campaignView {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var v campaignView
	for time.Now().Before(deadline) {
		c.api(t, http.MethodGet, "/api/v1/campaigns/"+id, nil, &v)
		if done(v) {
			return v
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.fatal(t, "campaign never %s within %s; last %+v", what, timeout, v)
	return v
}

// sigterm stops the child as a service manager does and asserts a clean
// exit and the documented shutdown order in error.log.
func (c *serveChild) sigterm(t *testing.T, logPath string, within time.Duration) time.Duration {
	t.Helper()
	var logFrom int64
	if fi, err := os.Stat(logPath); err == nil {
		logFrom = fi.Size()
	}
	start := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
	case <-time.After(within):
		c.fatal(t, "sambad did not exit within %s of SIGTERM", within)
	}
	took := time.Since(start)
	if c.err != nil {
		c.fatal(t, "sambad exited with %v after SIGTERM, want exit status 0", c.err)
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	tail := string(b[logFrom:])
	if strings.Contains(tail, "[ERROR]") || strings.Contains(tail, "[FATAL]") || strings.Contains(tail, "[PANIC]") {
		c.fatal(t, "error.log reports errors during shutdown:\n%s", tail)
	}
	at := 0
	for _, want := range []string{
		"shutting down",
		`shutdown: stopped {"part":"http server"}`,
		`shutdown: stopped {"part":"campaign engine"}`,
		`shutdown: stopped {"part":"browser"}`,
		`shutdown: stopped {"part":"sync"}`,
		`shutdown: stopped {"part":"database"}`,
	} {
		i := strings.Index(tail[at:], want)
		if i < 0 {
			c.fatal(t, "error.log lacks %q after the previous shutdown step:\n%s", want, tail)
		}
		at += i + len(want)
	}
	return took
}

// groupCampaign describes a campaign startGroupCampaign makes: N contacts
// named "<Name> NN" on +91 <Block> NNNNN, all in one group, and a campaign
// to that group.
type groupCampaign struct {
	N                      int
	Name, Block            string
	Group, Campaign        string
	Template               string
	Render                 func(name string) string // the text a contact called name must get
	MinDelayMS, MaxDelayMS int
}

// startGroupCampaign makes gc's contacts, group and campaign through the
// API and starts it. It returns the campaign and what each recipient must
// receive (phone digits → text).
func (c *serveChild) startGroupCampaign(t *testing.T, gc groupCampaign) (campaignView, map[string]string) {
	t.Helper()
	want := map[string]string{}
	var ids []string
	for i := range gc.N {
		name := fmt.Sprintf("%s %02d", gc.Name, i)
		var ct struct {
			ID string `json:"id"`
		}
		c.api(t, http.MethodPost, "/api/v1/contacts", map[string]any{"phone": fmt.Sprintf("+91 %s %05d", gc.Block, i), "name": name}, &ct)
		ids = append(ids, ct.ID)
		want[fmt.Sprintf("91%s%05d", gc.Block, i)] = gc.Render(name)
	}
	var g struct {
		ID string `json:"id"`
	}
	c.api(t, http.MethodPost, "/api/v1/groups", map[string]any{"name": gc.Group}, &g)
	c.api(t, http.MethodPost, "/api/v1/groups/"+g.ID+"/members", map[string]any{"contact_ids": ids}, nil)
	var cp campaignView
	c.api(t, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": gc.Campaign, "template": gc.Template, "group_ids": []string{g.ID},
		"pacing": map[string]any{"min_delay_ms": gc.MinDelayMS, "max_delay_ms": gc.MaxDelayMS},
	}, &cp)
	c.api(t, http.MethodPost, "/api/v1/campaigns/"+cp.ID+"/start", nil, nil)
	return cp, want
}

// checkOncePerRecipient fails unless WhatsApp received exactly one message
// for each recipient in want (phone digits → text), with its text, and
// nothing for anyone else.
func checkOncePerRecipient(t *testing.T, ledger []wasim.LedgerEntry, want map[string]string) {
	t.Helper()
	seen := map[string]int{}
	for _, e := range ledger {
		p := digits(e.Phone)
		seen[p]++
		text, ok := want[p]
		if !ok {
			t.Errorf("a message went to %s, who is not a recipient", e.Phone)
			continue
		}
		if e.Text != text {
			t.Errorf("%s got %q, want %q", p, e.Text, text)
		}
	}
	for p := range want {
		if seen[p] != 1 {
			t.Errorf("%s received %d messages, want exactly 1", p, seen[p])
		}
	}
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestServeSigtermMidCampaignResumesExactlyOnce runs the real binary with
// real Chromium against the simulator, SIGTERMs it twice while a campaign
// is sending, and checks each stop is clean (exit 0, documented order, the
// campaign paused with nothing left in flight and nothing sent that the
// database does not know of), each restart comes back linked without a QR
// and resumes by itself, and in the end every recipient got the resolved
// text exactly once.
func TestServeSigtermMidCampaignResumesExactlyOnce(t *testing.T) {
	// Short: Chromium's singleton socket lives under the data dir and a
	// Unix socket path may not exceed 107 bytes.
	dir := shortTempDir(t, "sgt")
	exe := sambadBinary(t)
	sim, simURL := startSimulator(t)
	dataDir := filepath.Join(dir, "data")
	logPath := filepath.Join(dataDir, "error.log")
	const grace = 15 * time.Second // SAMBAD_SHUTDOWN_GRACE's default

	child := startServeChild(t, exe, dataDir, simURL)
	st := child.session(t, "qr", false, 90*time.Second)
	if st.QR == nil {
		child.fatal(t, "session in qr without a payload: %+v", st)
	}
	if err := sim.ScanRef(*st.QR); err != nil {
		t.Fatalf("scan: %v", err)
	}
	child.session(t, "ready", false, 60*time.Second)

	const n = 40
	cp, want := child.startGroupCampaign(t, groupCampaign{N: n, Name: "Asha", Block: "98700", Group: "Sigterm", Campaign: "Slots",
		Template: "Namaste {{name}},\nyour slot is confirmed.", Render: func(name string) string { return "Namaste " + name + ",\nyour slot is confirmed." },
		MinDelayMS: 100, MaxDelayMS: 200})
	started := time.Now()

	// Two stops. The first goes as soon as the API shows 6 sent: during the
	// pacing delay or early in the next send. The second lands mid-send for
	// sure: acks are held back 1.5 s and SIGTERM goes the moment WhatsApp has
	// accepted the message, while the driver still waits for its first tick.
	for round, stopAt := range []int{6, 22} {
		if round == 1 {
			sim.SetAckDelay(1500 * time.Millisecond)
			deadline := time.Now().Add(120 * time.Second)
			for len(sim.Ledger()) < stopAt {
				if time.Now().After(deadline) {
					child.fatal(t, "round %d: WhatsApp never received %d messages; it has %d", round, stopAt, len(sim.Ledger()))
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
		v := child.waitCampaign(t, cp.ID, 120*time.Second, fmt.Sprintf("reached %d sent", stopAt), func(v campaignView) bool {
			return round == 1 || v.sent() >= int64(stopAt) || v.State == models.CampaignCompleted || v.State == models.CampaignStopped || v.State == models.CampaignFailed
		})
		if v.State != models.CampaignRunning || v.Total != n {
			child.fatal(t, "round %d: campaign %+v, want running with %d recipients", round, v, n)
		}
		took := child.sigterm(t, logPath, grace+10*time.Second)
		t.Logf("round %d: SIGTERM with %d recorded sent; exited cleanly in %s", round, v.sent(), took.Round(time.Millisecond))
		sim.SetAckDelay(0)

		// What the database holds while Sambad is down.
		store, err := models.Open(context.Background(), models.OpenOptions{SQLitePath: filepath.Join(dataDir, "sambad.db")})
		if err != nil {
			t.Fatal(err)
		}
		c, err := store.GetCampaign(context.Background(), cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		var inDB int
		for _, s := range []string{models.RecipientSent, models.RecipientDelivered, models.RecipientRead} {
			rs, err := store.RecipientsInState(context.Background(), cp.ID, s)
			if err != nil {
				t.Fatal(err)
			}
			inDB += len(rs)
		}
		inFlight, err := store.RecipientsInState(context.Background(), cp.ID, models.RecipientSending)
		if err != nil {
			t.Fatal(err)
		}
		store.Close()
		if c.State != models.CampaignPaused || c.PauseReason != models.PauseShutdown {
			t.Fatalf("round %d: after SIGTERM the campaign is %s (reason %q), want paused for shutdown", round, c.State, c.PauseReason)
		}
		if len(inFlight) != 0 {
			t.Fatalf("round %d: %d recipients left \"sending\" by a clean shutdown", round, len(inFlight))
		}
		if got := len(sim.Ledger()); got != inDB || inDB >= n {
			t.Fatalf("round %d: WhatsApp received %d messages, the database records %d sent of %d", round, got, inDB, n)
		}

		child = startServeChild(t, exe, dataDir, simURL)
		child.session(t, "ready", true, 90*time.Second)
	}
	v := child.waitCampaign(t, cp.ID, 180*time.Second, "completed", func(v campaignView) bool {
		return v.State != models.CampaignRunning && v.State != models.CampaignPaused
	})
	if v.State != models.CampaignCompleted || v.sent() != n {
		child.fatal(t, "campaign ended %+v, want completed with %d sent", v, n)
	}
	t.Logf("campaign of %d completed %s after its start, across two SIGTERMs", n, time.Since(started).Round(time.Millisecond))

	checkOncePerRecipient(t, sim.Ledger(), want)
	child.sigterm(t, logPath, grace+10*time.Second)
}

// TestServeSigtermWhileASendWaitsForThePhone stops Sambad while a send
// cannot finish within the grace: WhatsApp took the message but its tick is
// a minute away, so the engine overruns its share of the grace. The exit is
// bounded and reported (exit status 1, the overrun in error.log, the
// database still closed), and the next start settles the interrupted send
// from the chat instead of sending it again: every recipient has exactly one
// message.
func TestServeSigtermWhileASendWaitsForThePhone(t *testing.T) {
	dir := shortTempDir(t, "sgt")
	exe := sambadBinary(t)
	sim, simURL := startSimulator(t)
	dataDir := filepath.Join(dir, "data")
	const grace = 6 * time.Second
	env := "SAMBAD_SHUTDOWN_GRACE=" + grace.String()

	child := startServeChild(t, exe, dataDir, simURL, env)
	st := child.session(t, "qr", false, 90*time.Second)
	if st.QR == nil {
		child.fatal(t, "session in qr without a payload: %+v", st)
	}
	if err := sim.ScanRef(*st.QR); err != nil {
		t.Fatalf("scan: %v", err)
	}
	child.session(t, "ready", false, 60*time.Second)

	const n = 8
	want := map[string]string{}
	var ids []string
	for i := range n {
		name := fmt.Sprintf("Ravi %02d", i)
		var ct struct {
			ID string `json:"id"`
		}
		child.api(t, http.MethodPost, "/api/v1/contacts", map[string]any{"phone": fmt.Sprintf("+91 98711 %05d", i), "name": name}, &ct)
		ids = append(ids, ct.ID)
		want[fmt.Sprintf("9198711%05d", i)] = "Hello " + name + ", see you at 5."
	}
	var cp campaignView
	child.api(t, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": "Offline", "template": "Hello {{name}}, see you at 5.", "contact_ids": ids,
		"pacing": map[string]any{"min_delay_ms": 100, "max_delay_ms": 200},
	}, &cp)
	child.api(t, http.MethodPost, "/api/v1/campaigns/"+cp.ID+"/start", nil, nil)

	deadline := time.Now().Add(120 * time.Second)
	for len(sim.Ledger()) < 3 {
		if time.Now().After(deadline) {
			child.fatal(t, "WhatsApp never received 3 messages; it has %d", len(sim.Ledger()))
		}
		time.Sleep(5 * time.Millisecond)
	}
	// WhatsApp takes the next message but its tick never comes in time: the
	// driver waits for it (up to its own 30 s), longer than the grace.
	sim.SetAckDelay(time.Minute)
	var live struct {
		Status string `json:"status"`
		campaignView
	}
	deadline = time.Now().Add(30 * time.Second)
	for {
		child.api(t, http.MethodGet, "/api/v1/campaigns/"+cp.ID, nil, &live)
		if l := len(sim.Ledger()); l >= 4 && live.Status == "sending" && int64(l) == live.sent()+1 {
			break
		}
		if time.Now().After(deadline) {
			child.fatal(t, "no send got stuck waiting for its tick; last %+v, ledger %d", live, len(sim.Ledger()))
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second)
	stuck := len(sim.Ledger())

	logPath := filepath.Join(dataDir, "error.log")
	var logFrom int64
	if fi, err := os.Stat(logPath); err == nil {
		logFrom = fi.Size()
	}
	start := time.Now()
	child.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-child.exited:
	case <-time.After(grace + 10*time.Second):
		child.fatal(t, "sambad did not exit within %s of SIGTERM", grace+10*time.Second)
	}
	t.Logf("SIGTERM with a send waiting for its tick: exited (%v) in %s", child.err, time.Since(start).Round(time.Millisecond))
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// The overrun is reported, and the parts after it still close.
	tail := string(b[logFrom:])
	engine := strings.Index(tail, `"part":"campaign engine"`)
	db := strings.Index(tail, `shutdown: stopped {"part":"database"}`)
	if engine < 0 || db < engine || !strings.Contains(tail, "did not stop within") {
		child.fatal(t, "error.log does not show the engine's overrun followed by the database closing:\n%s", tail)
	}
	if len(sim.Ledger()) != stuck {
		t.Fatalf("WhatsApp received %d messages after SIGTERM, want %d", len(sim.Ledger()), stuck)
	}
	sim.SetAckDelay(0)

	child = startServeChild(t, exe, dataDir, simURL, env)
	child.session(t, "ready", true, 90*time.Second)
	v := child.waitCampaign(t, cp.ID, 120*time.Second, "finished", func(v campaignView) bool {
		return v.State == models.CampaignCompleted || v.State == models.CampaignStopped || v.State == models.CampaignFailed
	})
	seen := map[string]int{}
	for _, e := range sim.Ledger() {
		p := digits(e.Phone)
		seen[p]++
		if text, ok := want[p]; !ok || e.Text != text {
			t.Errorf("unexpected message to %s: %q", e.Phone, e.Text)
		}
	}
	for p := range want {
		if seen[p] != 1 {
			t.Errorf("%s received %d messages, want exactly 1", p, seen[p])
		}
	}
	if v.State != models.CampaignCompleted || v.sent() != n {
		child.fatal(t, "campaign ended %+v, want completed with %d sent", v, n)
	}
}
