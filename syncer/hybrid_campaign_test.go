package syncer_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// These tests run hybrid mode as it ships: two installs, each with its own
// SQLite database, sync worker and campaign engine, share one Postgres
// through TCP proxies the test cuts and blackholes. Both installs are linked
// to one WhatsApp account (account below), as two computers of one business
// are: a message one sends shows in the other's chats.

// account is one WhatsApp account; each install reaches it through a device.
type account struct {
	mu    sync.Mutex
	chats map[string][]campaign.OutgoingMessage // phone → messages, oldest first
	by    map[string]int                        // install → messages sent
	first map[string]time.Time                  // install → its first send
	sha   map[string]string                     // message id → the SHA-256 of the file it sent
	n     int
	// holdAt: the file send number holdAt by install holdInstall closes
	// held and then hangs until its context ends (0: never).
	holdAt      int
	holdInstall string
	held        chan struct{}
}

type device struct {
	acc     *account
	install string
}

func (d *device) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	time.Sleep(3 * time.Millisecond)
	d.acc.mu.Lock()
	defer d.acc.mu.Unlock()
	d.acc.n++
	id := fmt.Sprintf("wamid-%d", d.acc.n)
	d.acc.chats[phone] = append(d.acc.chats[phone], campaign.OutgoingMessage{ID: id, Text: text})
	d.acc.by[d.install]++
	if _, ok := d.acc.first[d.install]; !ok {
		d.acc.first[d.install] = time.Now()
	}
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: id}, nil
}

func (d *device) RecentOutgoing(ctx context.Context, phone string, n int) ([]campaign.OutgoingMessage, error) {
	d.acc.mu.Lock()
	defer d.acc.mu.Unlock()
	msgs := d.acc.chats[phone]
	return append([]campaign.OutgoingMessage(nil), msgs[max(0, len(msgs)-n):]...), nil
}

func (d *device) Ready() bool { return true }

func (a *account) total() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

// hybridInstall is one Sambad install in hybrid mode: sync worker and campaign engine.
type hybridInstall struct {
	name   string
	store  *models.Store
	px     *testdb.Proxy
	url    string
	acc    *account
	worker *syncer.Worker
	engine *campaign.Engine
	files  *media.Library // nil: campaigns with files are refused
	stopFn func()
}

func newHybridInstall(t *testing.T, name, cloudURL string, acc *account) *hybridInstall {
	t.Helper()
	target, err := url.Parse(cloudURL)
	if err != nil {
		t.Fatal(err)
	}
	px := testdb.NewProxy(t, target.Host)
	via := *target
	via.Host = px.Addr()
	in := &hybridInstall{name: name, store: testdb.SQLite(t), px: px, url: via.String(), acc: acc}
	in.start(t)
	t.Cleanup(in.stop)
	return in
}

// start runs the install's worker and engine, as a (re)started process does.
func (in *hybridInstall) start(t *testing.T) {
	in.worker = &syncer.Worker{Local: testdb.DB(in.store), CloudURL: in.url, Interval: 100 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, OpTimeout: time.Second}
	var files campaign.Files
	if in.files != nil {
		files = in.files
	}
	in.engine = campaign.New(campaign.Options{Store: in.store, Sender: &device{acc: in.acc, install: in.name}, Files: files,
		IdlePoll: 20 * time.Millisecond, Location: time.UTC, SendTimeout: 5 * time.Second,
		Lease:    in.worker.CampaignLease(),
		LeaseTTL: 2 * time.Second, TakeoverGrace: time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); in.worker.Run(ctx) }()
	go func() { defer wg.Done(); in.engine.Run(ctx) }()
	var once sync.Once
	in.stopFn = func() { once.Do(func() { cancel(); wg.Wait() }) }
}

func (in *hybridInstall) stop() { in.stopFn() }

func hybridSeed(t *testing.T) uint64 {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SAMBAD_SYNC_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (rerun with SAMBAD_SYNC_SEED=%d)", seed, seed)
	return seed
}

func hybridRounds() int {
	if n, err := strconv.Atoi(os.Getenv("SAMBAD_HYBRID_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 4
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	last := ""
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s (last: %s)", what, d, last)
}

// recipientRows is a store's view of a campaign's recipients: seq, state, message id.
func recipientRows(t *testing.T, s *models.Store, id string) []string {
	t.Helper()
	rows, err := testdb.Gorm(s).Raw(`SELECT seq, state, message_id FROM campaign_recipients WHERE campaign_id = ? ORDER BY seq`, id).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var seq int64
		var state, mid string
		if err := rows.Scan(&seq, &state, &mid); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d:%s:%s", seq, state, mid))
	}
	return out
}

// syncDebug describes an install's sync state for a failure message.
func syncDebug(t *testing.T, s *models.Store) string {
	t.Helper()
	var held int64
	var cursor string
	testdb.Gorm(s).Raw(`SELECT COUNT(*) FROM sync_held`).Scan(&held)
	testdb.Gorm(s).Raw(`SELECT COALESCE((SELECT value FROM sync_state WHERE key = 'cursor'), '')`).Scan(&cursor)
	var reasons []string
	testdb.Gorm(s).Raw(`SELECT tbl || ' ' || row_id || ': ' || reason FROM sync_held LIMIT 3`).Scan(&reasons)
	return fmt.Sprintf("%d held %v, cursor %s", held, reasons, cursor)
}

func outboxLen(t *testing.T, s *models.Store) int64 {
	t.Helper()
	var n int64
	if err := testdb.Gorm(s).Raw(`SELECT COUNT(*) FROM sync_outbox`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func campaignState(s *models.Store, id string) string {
	c, err := s.GetCampaign(context.Background(), id)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return c.State
}

// prepareCampaign makes contacts, a group and a draft campaign on in.
func prepareCampaign(t *testing.T, in *hybridInstall, n int) *models.Campaign {
	t.Helper()
	ctx := context.Background()
	g, err := in.store.CreateGroup(ctx, "Customers")
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range n {
		var c models.Contact
		if err := (models.ContactInput{Phone: fmt.Sprintf("98765%05d", i), Name: fmt.Sprintf("Customer %d", i)}).Apply(&c, "IN"); err != nil {
			t.Fatal(err)
		}
		if err := in.store.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	if _, err := in.store.AddMembers(ctx, g.ID, ids); err != nil {
		t.Fatal(err)
	}
	c := &models.Campaign{Name: "Offer", Template: "Hello {{name}}, the offer ends soon.", GroupIDs: []string{g.ID},
		Pacing: models.Pacing{Preset: "custom", MinDelayMS: 15, MaxDelayMS: 40}}
	if err := in.store.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHybridCampaignTakeover: a campaign started on install A is sent by A
// until A loses the cloud (cut, blackholed, or crashed offline) part way
// through; B takes it over once A's lease runs out, settles the recipients
// A claimed from their chats, and finishes it. When A is back, its results
// reach the cloud. Every recipient got exactly one message, every install
// and Postgres agree on every recipient, and the ledger holds one send per
// recipient. Seeded and repeated.
func TestHybridCampaignTakeover(t *testing.T) {
	logrus.SetLevel(logrus.ErrorLevel)
	t.Cleanup(func() { logrus.SetLevel(logrus.InfoLevel) })
	rng := rand.New(rand.NewPCG(hybridSeed(t), 5))
	faults := []string{"cut", "blackhole", "crash"}
	for round := range hybridRounds() {
		fault := faults[round%len(faults)]
		after := 3 + rng.IntN(12)
		// Every fourth round goes through pgbouncer in transaction mode
		// (Supabase's port 6543): exec query mode, no session state.
		pooled := round%4 == 3
		t.Run(fmt.Sprintf("round%d-%s-after%d-pooled=%v", round, fault, after, pooled), func(t *testing.T) {
			testTakeover(t, fault, after, pooled)
		})
	}
}

func testTakeover(t *testing.T, fault string, after int, pooled bool) {
	ctx := context.Background()
	cloudURL := testdb.PostgresURL(t)
	cloud, err := testdb.Open(ctx, models.OpenOptions{DatabaseURL: cloudURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	installURL := cloudURL
	if pooled {
		installURL = testdb.PgBouncerURL(t, cloudURL) + "&default_query_exec_mode=exec"
	}
	acc := &account{chats: map[string][]campaign.OutgoingMessage{}, by: map[string]int{}, first: map[string]time.Time{}}
	a := newHybridInstall(t, "A", installURL, acc)
	b := newHybridInstall(t, "B", installURL, acc)
	const recipients = 30
	c := prepareCampaign(t, a, recipients)
	eventually(t, 20*time.Second, "B receives the campaign", func() (bool, string) {
		st := campaignState(b.store, c.ID)
		return st == models.CampaignDraft, st
	})

	if _, err := a.engine.Start(ctx, c.ID); err != nil {
		t.Fatalf("start on A: %v", err)
	}
	// B may not start it too: it is running (or being started) elsewhere.
	if _, err := b.engine.Start(ctx, c.ID); !errors.Is(err, models.ErrState) && !errors.Is(err, campaign.ErrLeaseHeld) {
		t.Fatalf("start on B while A sends it: %v, want a refusal", err)
	}
	eventually(t, 20*time.Second, "A sends", func() (bool, string) {
		return acc.total() >= after, fmt.Sprint(acc.total(), " sent")
	})
	// A takeover needs the cloud to know the campaign runs (an install that
	// goes offline before pushing the start keeps the campaign to itself
	// until it is back: TestHybridStartedOffline).
	eventually(t, 20*time.Second, "the cloud has the plan", func() (bool, string) {
		st := campaignState(cloud, c.ID)
		n := len(recipientRows(t, cloud, c.ID))
		return st == models.CampaignRunning && n == recipients, fmt.Sprint(st, " with ", n, " recipients")
	})

	faultAt := time.Now()
	switch fault {
	case "cut":
		a.px.Cut()
	case "blackhole":
		a.px.Blackhole()
	case "crash":
		// Offline first, then the process dies: nothing more reaches the
		// cloud, and A's last results stay in its outbox.
		a.px.Cut()
		a.stop()
	}
	eventually(t, 60*time.Second, "B finishes the campaign", func() (bool, string) {
		st := campaignState(b.store, c.ID)
		return st == models.CampaignCompleted, st + " on B, " + fmt.Sprint(acc.total(), " sent")
	})
	acc.mu.Lock()
	byA, byB, firstB := acc.by["A"], acc.by["B"], acc.first["B"]
	acc.mu.Unlock()
	if byB == 0 {
		t.Fatalf("B sent nothing (A %d): the takeover did not happen", byA)
	}

	a.px.Restore()
	if fault == "crash" {
		a.start(t)
	}
	eventually(t, 30*time.Second, "A, B and the cloud agree", func() (bool, string) {
		ra, rb, rc := recipientRows(t, a.store, c.ID), recipientRows(t, b.store, c.ID), recipientRows(t, cloud, c.ID)
		if oa, ob := outboxLen(t, a.store), outboxLen(t, b.store); oa+ob > 0 {
			return false, fmt.Sprintf("outboxes hold %d and %d", oa, ob)
		}
		if fmt.Sprint(ra) != fmt.Sprint(rc) || fmt.Sprint(rb) != fmt.Sprint(rc) {
			return false, fmt.Sprintf("A %v\nB %v\ncloud %v\nA: %s\nB: %s", ra, rb, rc, syncDebug(t, a.store), syncDebug(t, b.store))
		}
		for _, s := range []*models.Store{a.store, b.store, cloud} {
			if st := campaignState(s, c.ID); st != models.CampaignCompleted {
				return false, "campaign " + st
			}
		}
		return true, ""
	})

	// Exactly one message per recipient, and it is the one every database records.
	acc.mu.Lock()
	chats := map[string][]campaign.OutgoingMessage{}
	for k, v := range acc.chats {
		chats[k] = v
	}
	acc.mu.Unlock()
	recs, err := cloud.RecipientsInState(ctx, c.ID, models.RecipientSent)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != recipients {
		t.Fatalf("%d of %d recipients sent: %v", len(recs), recipients, recipientRows(t, cloud, c.ID))
	}
	for _, r := range recs {
		msgs := chats[r.Phone]
		if len(msgs) != 1 {
			t.Errorf("%s got %d messages, want 1", r.Phone, len(msgs))
			continue
		}
		if msgs[0].ID != r.MessageID || msgs[0].Text != r.Body {
			t.Errorf("%s: recorded %s, the chat shows %s %q", r.Phone, r.MessageID, msgs[0].ID, msgs[0].Text)
		}
	}
	sends, repeated, err := cloud.SendLedger(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sends != recipients || repeated != 0 {
		t.Errorf("the cloud's ledger holds %d sends (%d recipients more than once), want %d and 0", sends, repeated, recipients)
	}
	t.Logf("A sent %d, B sent %d; B's first send %.1f s after A lost the cloud (lease 2 s, grace 1 s)", byA, byB, firstB.Sub(faultAt).Seconds())
}

// TestHybridStartNeedsCloud: starting a campaign takes its lease in the
// cloud; an install that cannot reach it refuses with a message saying so,
// and starts it once the cloud is back.
func TestHybridStartNeedsCloud(t *testing.T) {
	logrus.SetLevel(logrus.ErrorLevel)
	t.Cleanup(func() { logrus.SetLevel(logrus.InfoLevel) })
	ctx := context.Background()
	cloudURL := testdb.PostgresURL(t)
	acc := &account{chats: map[string][]campaign.OutgoingMessage{}, by: map[string]int{}, first: map[string]time.Time{}}
	a := newHybridInstall(t, "A", cloudURL, acc)
	c := prepareCampaign(t, a, 3)
	eventually(t, 20*time.Second, "A connects", func() (bool, string) { return a.worker.InstallID() != "" && outboxLen(t, a.store) == 0, "" })
	a.px.Cut()
	_, err := a.engine.Start(ctx, c.ID)
	if !errors.Is(err, campaign.ErrCloudNeeded) {
		t.Fatalf("start offline: %v, want ErrCloudNeeded", err)
	}
	if st := campaignState(a.store, c.ID); st != models.CampaignDraft {
		t.Fatalf("after a refused start the campaign is %s, want draft", st)
	}
	a.px.Restore()
	eventually(t, 20*time.Second, "start once the cloud is back", func() (bool, string) {
		_, err := a.engine.Start(ctx, c.ID)
		return err == nil, fmt.Sprint(err)
	})
	eventually(t, 20*time.Second, "the campaign completes", func() (bool, string) {
		st := campaignState(a.store, c.ID)
		return st == models.CampaignCompleted, st
	})
	if acc.total() != 3 {
		t.Fatalf("%d messages for 3 recipients", acc.total())
	}
}

// TestHybridStartedOffline: install A starts a campaign and loses the cloud
// at once, likely before its start reached it. A sends what it claimed while
// its lease runs; B cannot take over what it may not know of; once A is
// back, the campaign finishes. Every recipient gets exactly one message and
// both installs and Postgres agree.
func TestHybridStartedOffline(t *testing.T) {
	logrus.SetLevel(logrus.ErrorLevel)
	t.Cleanup(func() { logrus.SetLevel(logrus.InfoLevel) })
	ctx := context.Background()
	cloudURL := testdb.PostgresURL(t)
	cloud, err := testdb.Open(ctx, models.OpenOptions{DatabaseURL: cloudURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	acc := &account{chats: map[string][]campaign.OutgoingMessage{}, by: map[string]int{}, first: map[string]time.Time{}}
	a := newHybridInstall(t, "A", cloudURL, acc)
	b := newHybridInstall(t, "B", cloudURL, acc)
	const recipients = 20
	c := prepareCampaign(t, a, recipients)
	eventually(t, 20*time.Second, "B receives the campaign", func() (bool, string) {
		st := campaignState(b.store, c.ID)
		return st == models.CampaignDraft, st
	})
	if _, err := a.engine.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	a.px.Blackhole()
	time.Sleep(3 * time.Second) // past A's lease
	a.px.Restore()
	eventually(t, 60*time.Second, "the campaign completes everywhere, alike", func() (bool, string) {
		for _, s := range []*models.Store{a.store, b.store, cloud} {
			if st := campaignState(s, c.ID); st != models.CampaignCompleted {
				return false, "campaign " + st
			}
		}
		ra, rb, rc := recipientRows(t, a.store, c.ID), recipientRows(t, b.store, c.ID), recipientRows(t, cloud, c.ID)
		if outboxLen(t, a.store)+outboxLen(t, b.store) > 0 || fmt.Sprint(ra) != fmt.Sprint(rc) || fmt.Sprint(rb) != fmt.Sprint(rc) {
			return false, fmt.Sprintf("A %v\nB %v\ncloud %v", ra, rb, rc)
		}
		return true, ""
	})
	acc.mu.Lock()
	defer acc.mu.Unlock()
	if acc.n != recipients || len(acc.chats) != recipients {
		t.Fatalf("%d messages to %d chats for %d recipients", acc.n, len(acc.chats), recipients)
	}
	t.Logf("A sent %d, B sent %d", acc.by["A"], acc.by["B"])
}

// SendFile sends a file as WhatsApp shows it (its kind, a document's name,
// its caption) and keeps its bytes' SHA-256 by message id.
func (d *device) SendFile(ctx context.Context, phone string, f campaign.File) (res campaign.SendResult, err error) {
	b, err := os.ReadFile(f.Path)
	if err != nil {
		return campaign.SendResult{Status: campaign.StatusFailed, Reason: err.Error()}, nil
	}
	time.Sleep(3 * time.Millisecond)
	d.acc.mu.Lock()
	defer d.acc.mu.Unlock()
	d.acc.n++
	id := fmt.Sprintf("wamid-%d", d.acc.n)
	defer func() {
		// The test's crash point: this send reached WhatsApp, and the
		// install hangs before it learns so, until its send times out.
		if d.acc.holdAt == d.acc.n && d.acc.holdInstall == d.install {
			close(d.acc.held)
			d.acc.mu.Unlock()
			<-ctx.Done()
			d.acc.mu.Lock()
			res, err = campaign.SendResult{}, fmt.Errorf("the browser hung after the click: %w", ctx.Err())
		}
	}()
	m := campaign.OutgoingMessage{ID: id, Text: f.Caption, Media: f.Kind}
	if f.Kind == models.MediaDocument {
		m.FileName = f.Name
	}
	d.acc.chats[phone] = append(d.acc.chats[phone], m)
	if d.acc.sha == nil {
		d.acc.sha = map[string]string{}
	}
	sum := sha256.Sum256(b)
	d.acc.sha[id] = hex.EncodeToString(sum[:])
	d.acc.by[d.install]++
	if _, ok := d.acc.first[d.install]; !ok {
		d.acc.first[d.install] = time.Now()
	}
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: id}, nil
}
