package campaign_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// These tests stand two installs up as two engines on ONE shared Postgres
// store (campaign tables are not synced between SQLite installs yet), each
// with its own install id and its own syncer.Leases on that database's
// sync_leases table, as cli wires them in hybrid mode.

// pgLease is the lease cli wires in hybrid mode; offline makes every call
// to the database fail as if the network were down (HeldLocally still
// answers from memory, as it does offline).
type pgLease struct {
	campaign.Lease
	offline atomic.Bool
}

var errNetDown = errors.New("dial tcp 127.0.0.1:5432: connect: network is unreachable")

func (p *pgLease) Acquire(ctx context.Context, cid string, ttl time.Duration) (campaign.LeaseInfo, error) {
	if p.offline.Load() {
		return campaign.LeaseInfo{}, errNetDown
	}
	return p.Lease.Acquire(ctx, cid, ttl)
}

func (p *pgLease) Renew(ctx context.Context, cid string, ttl time.Duration) (campaign.LeaseInfo, error) {
	if p.offline.Load() {
		return campaign.LeaseInfo{}, errNetDown
	}
	return p.Lease.Renew(ctx, cid, ttl)
}

func (p *pgLease) Claim(ctx context.Context, cid string, run int, through int64, ttl time.Duration) (campaign.LeaseInfo, error) {
	if p.offline.Load() {
		return campaign.LeaseInfo{}, errNetDown
	}
	return p.Lease.Claim(ctx, cid, run, through, ttl)
}

func (p *pgLease) Release(ctx context.Context, cid string) error {
	if p.offline.Load() {
		return errNetDown
	}
	return p.Lease.Release(ctx, cid)
}

// sendLog is the shared record of every message that went out, in order.
type sendLog struct {
	mu   sync.Mutex
	sent []sendLogMsg
}

type sendLogMsg struct {
	Install, Phone, Text string
	At                   time.Time
}

func (l *sendLog) all() []sendLogMsg {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]sendLogMsg(nil), l.sent...)
}

// installSender is one install's WhatsApp: each send takes `took`; the
// message shows in the chat from the moment it goes out.
type installSender struct {
	install string
	led     *sendLog
	took    time.Duration
}

func (s *installSender) Ready() bool { return true }

func (s *installSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	s.led.mu.Lock()
	s.led.sent = append(s.led.sent, sendLogMsg{s.install, phone, text, time.Now()})
	n := len(s.led.sent)
	s.led.mu.Unlock()
	time.Sleep(s.took)
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: fmt.Sprintf("true_%s_%d", strings.TrimPrefix(phone, "+"), n)}, nil
}

func (s *installSender) RecentOutgoing(ctx context.Context, phone string, n int) ([]campaign.OutgoingMessage, error) {
	var out []campaign.OutgoingMessage
	for _, m := range s.led.all() {
		if m.Phone == phone {
			out = append(out, campaign.OutgoingMessage{Text: m.Text})
		}
	}
	return out, nil
}

// install is one engine with its lease; stop shuts it down as cli does.
type install struct {
	e     *campaign.Engine
	lease *pgLease
	stop  func()
}

func startInstall(t *testing.T, s *models.Store, id string, led *sendLog, ttl, took time.Duration) *install {
	t.Helper()
	return startInstallWith(t, s, id, led, ttl, took, nil)
}

// startInstallWith is startInstall with mod applied to the engine's options.
func startInstallWith(t *testing.T, s *models.Store, id string, led *sendLog, ttl, took time.Duration, mod func(*campaign.Options)) *install {
	t.Helper()
	db, err := testdb.Gorm(s).DB()
	if err != nil {
		t.Fatal(err)
	}
	leases := syncer.NewLeases(func(context.Context) (*sql.DB, error) { return db, nil })
	l := &pgLease{Lease: leases.For(func() string { return id }, nil)}
	o := campaign.Options{Store: s, Sender: &installSender{install: id, led: led, took: took},
		IdlePoll: 10 * time.Millisecond, Location: time.UTC, Lease: l, LeaseTTL: ttl, TakeoverGrace: ttl}
	if mod != nil {
		mod(&o)
	}
	e := campaign.New(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Error("engine did not stop within 10 s")
			}
		})
	}
	t.Cleanup(stop)
	return &install{e: e, lease: l, stop: stop}
}

// checkOnce fails unless every recipient of the campaigns got exactly one
// message, and returns how many each install sent.
func checkOnce(t *testing.T, s *models.Store, led *sendLog, cs ...*models.Campaign) map[string]int {
	t.Helper()
	ctx := context.Background()
	per := map[string]int{}
	count := map[string]int{}
	for _, m := range led.all() {
		count[m.Phone+"\x00"+m.Text]++
		per[m.Install]++
	}
	total := 0
	for _, c := range cs {
		recs, err := s.RecipientsInState(ctx, c.ID, models.RecipientSent)
		if err != nil {
			t.Fatal(err)
		}
		total += len(recs)
		for _, r := range recs {
			if n := count[r.Phone+"\x00"+r.Body]; n != 1 {
				t.Errorf("campaign %s: %s got %d messages, want 1", c.Name, r.Phone, n)
			}
		}
	}
	if got := len(led.all()); got != total {
		t.Errorf("%d messages went out for %d recipients", got, total)
	}
	return per
}

// TestLeaseOneSenderPerCampaign: two installs on one database with three
// running campaigns; each campaign is sent by one install only, and every
// recipient gets exactly one message.
func TestLeaseOneSenderPerCampaign(t *testing.T) {
	s := testdb.Postgres(t)
	led := &sendLog{}
	a := startInstall(t, s, "install-a", led, 3*time.Second, 3*time.Millisecond)
	b := startInstall(t, s, "install-b", led, 3*time.Second, 3*time.Millisecond)
	var cs []*models.Campaign
	for i := 0; i < 3; i++ {
		g, _ := seedContacts(t, s, 30, fmt.Sprintf("%d", 10+i))
		c := newCampaign(t, s, "Hi {{name}} "+fmt.Sprint(i), g.ID, fast)
		c.Name = fmt.Sprint("campaign ", i)
		cs = append(cs, c)
	}
	ctx := context.Background()
	for i, c := range cs {
		starter := a.e
		if i%2 == 1 {
			starter = b.e
		}
		if _, err := starter.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cs {
		waitFor(t, c.Name+" completed", stateIs(s, c.ID, models.CampaignCompleted))
	}
	checkOnce(t, s, led, cs...)
	// One sender per campaign: no campaign's messages came from two installs.
	from := map[string]string{}
	for _, m := range led.all() {
		tag := m.Text[len(m.Text)-1:]
		if prev, ok := from[tag]; ok && prev != m.Install {
			t.Fatalf("campaign %s was sent from %s and %s", tag, prev, m.Install)
		}
		from[tag] = m.Install
	}
}

// TestLeaseTakeoverOnShutdown: while one install sends, the other shows the
// holder and sends nothing; when the holder shuts down (the campaign stays
// running, not paused), the other takes over and finishes without
// duplicates.
func TestLeaseTakeoverOnShutdown(t *testing.T) {
	s := testdb.Postgres(t)
	led := &sendLog{}
	g, _ := seedContacts(t, s, 60, "20")
	c := newCampaign(t, s, "Hello {{name}}", g.ID, fast)
	a := startInstall(t, s, "install-a", led, 3*time.Second, 15*time.Millisecond)
	if _, err := a.e.Start(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "install a sending", func() bool { return len(led.all()) >= 5 })
	b := startInstall(t, s, "install-b", led, 3*time.Second, 15*time.Millisecond)
	waitFor(t, "install b to see the holder", func() bool {
		l := b.e.Live(c.ID).Lease
		return l.Holder == "install-a" && !l.Mine && l.Until.After(time.Now())
	})
	if l := a.e.Live(c.ID).Lease; !l.Mine || l.Holder != "install-a" {
		t.Fatalf("holder's own view of the lease: %+v", l)
	}
	a.stop()
	if cp, _ := s.GetCampaign(context.Background(), c.ID); cp.State != models.CampaignRunning && cp.State != models.CampaignCompleted {
		t.Fatalf("after the holder's shutdown the campaign is %s (%s); it must stay running for the other install", cp.State, cp.PauseReason)
	}
	waitFor(t, "install b to finish", stateIs(s, c.ID, models.CampaignCompleted))
	per := checkOnce(t, s, led, c)
	if per["install-a"] == 0 || per["install-b"] == 0 {
		t.Fatalf("sends per install: %v; want both to have sent", per)
	}
	// Before the takeover, b sent nothing while a held the lease.
	var seenB bool
	for _, m := range led.all() {
		if m.Install == "install-b" {
			seenB = true
		} else if seenB {
			t.Fatal("install a sent after install b had taken over")
		}
	}
}

// TestLeaseOfflineHolder: a holder that loses the database keeps sending
// only while its lease runs by its own clock; then it stops, the lease runs
// out in the database, and the other install finishes without duplicates.
func TestLeaseOfflineHolder(t *testing.T) {
	s := testdb.Postgres(t)
	led := &sendLog{}
	g, _ := seedContacts(t, s, 90, "30")
	c := newCampaign(t, s, "Hey {{name}}", g.ID, fast)
	const ttl = time.Second
	a := startInstall(t, s, "install-a", led, ttl, 25*time.Millisecond)
	if _, err := a.e.Start(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "install a sending", func() bool { return len(led.all()) >= 3 })
	startInstall(t, s, "install-b", led, ttl, 25*time.Millisecond)
	wentOffline := time.Now()
	a.lease.offline.Store(true)
	waitFor(t, "install b to finish", stateIs(s, c.ID, models.CampaignCompleted))
	if per := checkOnce(t, s, led, c); per["install-b"] == 0 {
		t.Fatalf("sends per install: %v; install b never took over", per)
	}
	var lastA time.Time
	afterOffline := 0
	for _, m := range led.all() {
		if m.Install == "install-a" {
			lastA = m.At
			if m.At.After(wentOffline) {
				afterOffline++
			}
		}
	}
	// The last renewal started before wentOffline, so the lease ran out by
	// a's clock before wentOffline+ttl; no send may start after that.
	if lastA.After(wentOffline.Add(ttl)) {
		t.Fatalf("offline install a sent %v after going offline; its lease (ttl %v) had run out", lastA.Sub(wentOffline), ttl)
	}
	if afterOffline == 0 {
		t.Fatal("install a stopped at once when offline; it should send while its lease still runs")
	}
	if a.lease.HeldLocally(c.ID) {
		t.Fatal("install a still holds the lease locally")
	}
}

// TestLeaseLost: when the database says the holder's lease is gone (it
// expired and another install took it), the holder stops sending that
// campaign at its next renewal, and every recipient still gets one message.
func TestLeaseLost(t *testing.T) {
	s := testdb.Postgres(t)
	led := &sendLog{}
	g, _ := seedContacts(t, s, 90, "40")
	c := newCampaign(t, s, "Yo {{name}}", g.ID, fast)
	const ttl = 1500 * time.Millisecond
	a := startInstall(t, s, "install-a", led, ttl, 25*time.Millisecond)
	if _, err := a.e.Start(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "install a sending", func() bool { return len(led.all()) >= 3 })
	b := startInstall(t, s, "install-b", led, ttl, 25*time.Millisecond)
	// The lease runs out in the database (as after a stall longer than its TTL).
	expired := time.Now()
	if err := testdb.Gorm(s).Exec(`UPDATE sync_leases SET expires_at = now() - interval '1 second' WHERE campaign_id = ?`, c.ID).Error; err != nil {
		t.Fatal(err)
	}
	waitFor(t, "install b to take over", func() bool { return b.e.Live(c.ID).Lease.Mine })
	waitFor(t, "the campaign to complete", stateIs(s, c.ID, models.CampaignCompleted))
	per := checkOnce(t, s, led, c)
	if per["install-b"] == 0 {
		t.Fatalf("sends per install: %v", per)
	}
	for _, m := range led.all() {
		// a renews every ttl/3: by then it must have stopped (one send in flight may finish).
		if m.Install == "install-a" && m.At.After(expired.Add(ttl/3+200*time.Millisecond)) {
			t.Fatalf("install a sent %v after its lease was lost", m.At.Sub(expired))
		}
	}
	var saw bool
	for _, ev := range a.e.Live(c.ID).Events {
		saw = saw || strings.Contains(ev.Detail, "another install took the campaign over")
	}
	if !saw || a.e.Live(c.ID).Lease.Mine {
		t.Fatalf("install a's view after losing the lease: %+v", a.e.Live(c.ID).Lease)
	}
}

// BenchmarkLeasedEngine: what a lease costs per message in hybrid mode (a
// renewal round trip to Postgres before each claim, one recipient per
// claim): the local SQLite store, the lease on local Postgres, a sender
// that costs nothing.
func BenchmarkLeasedEngine(b *testing.B) {
	const n = 2000
	s := testdb.SQLite(b)
	g := seedAudience(b, s, n)
	db, err := testdb.Gorm(testdb.Postgres(b)).DB()
	if err != nil {
		b.Fatal(err)
	}
	leases := syncer.NewLeases(func(context.Context) (*sql.DB, error) { return db, nil })
	var total time.Duration
	var sent int64
	for i := 0; i < b.N; i++ {
		c := &models.Campaign{Name: fmt.Sprint("Run ", i), Template: benchTemplate, GroupIDs: []string{g.ID}, Pacing: models.Pacing{Preset: "custom"}}
		s.CreateCampaign(context.Background(), c)
		e := campaign.New(campaign.Options{Store: s, Sender: &instantSender{}, IdlePoll: 5 * time.Millisecond,
			Lease: leases.For(func() string { return "bench" }, nil)})
		res, err := e.Start(context.Background(), c.ID)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		start := time.Now()
		go func() { e.Run(ctx); close(done) }()
		for !stateIs(s, c.ID, models.CampaignCompleted)() {
			time.Sleep(5 * time.Millisecond)
		}
		total += time.Since(start)
		sent += res.Planned
		cancel()
		<-done
	}
	b.ReportMetric(float64(sent)/total.Seconds(), "msgs/s")
}

// SendFile sends a file as its caption, for tests that do not look at files.
func (s *installSender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, f.Caption)
}
