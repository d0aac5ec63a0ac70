package syncer_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// install is one simulated Sambad install: a SQLite store and a sync worker
// that the test kills and restarts.
type install struct {
	n      int
	store  *models.Store
	url    string
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
	kills  int
}

// start runs a fresh worker, as a restarted process would. killAfterPush,
// when set, is asked after each push answer whether to die right there,
// between the cloud's commit and the local acknowledgement.
func (in *install) start(killAfterPush func() bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	w := newWorker(in.store, in.url)
	w.OpTimeout = 700 * time.Millisecond
	if killAfterPush != nil {
		syncer.SetAfterPush(w, func() {
			if killAfterPush() {
				cancel()
			}
		})
	}
	in.cancel, in.done = cancel, make(chan struct{})
	done := in.done
	go func() { defer close(done); w.Run(ctx) }()
}

func (in *install) stop() {
	in.mu.Lock()
	cancel, done := in.cancel, in.done
	in.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// tracker remembers what the test wrote, to check nothing was lost.
type tracker struct {
	mu      sync.Mutex
	created map[string]bool
	deleted map[string]bool
}

func (tr *tracker) add(id string) { tr.mu.Lock(); tr.created[id] = true; tr.mu.Unlock() }
func (tr *tracker) del(ids []string) {
	tr.mu.Lock()
	for _, id := range ids {
		tr.deleted[id] = true
	}
	tr.mu.Unlock()
}

func randomIDs(ctx context.Context, s *models.Store, table string, rng *rand.Rand, n int) []string {
	var ids []string
	testdb.Gorm(s).WithContext(ctx).Raw(fmt.Sprintf(`SELECT id FROM %s ORDER BY random() LIMIT %d`, table, n)).Scan(&ids)
	return ids
}

// randomChange makes one random create, edit or delete through the store.
func randomChange(ctx context.Context, in *install, rng *rand.Rand, seq int, tr *tracker) error {
	s := in.store
	if p := rng.IntN(100); p < 10 {
		return randomCampaignChange(ctx, in, rng, seq, p)
	}
	switch p := rng.IntN(100); {
	case p < 30:
		var c models.Contact
		in := models.ContactInput{Phone: fmt.Sprintf("9%d%08d", in.n+1, seq), Name: fmt.Sprintf("c%d-%d", in.n, seq),
			Variables: map[string]string{"v1": strconv.Itoa(rng.IntN(100))}, Attributes: map[string]string{"city": "x" + strconv.Itoa(rng.IntN(5))}}
		if err := in.Apply(&c, "IN"); err != nil {
			return err
		}
		if err := s.CreateContact(ctx, &c); err != nil {
			return err
		}
		tr.add(c.ID)
	case p < 55:
		for _, id := range randomIDs(ctx, s, "contacts", rng, 1) {
			c, err := s.GetContact(ctx, id)
			if err != nil {
				return nil
			}
			switch rng.IntN(4) {
			case 0:
				c.Name = fmt.Sprintf("n%d-%d", in.n, seq)
			case 1:
				c.V2 = strconv.Itoa(rng.IntN(1000))
			case 2:
				c.Attributes = models.Attributes{"tier": strconv.Itoa(rng.IntN(3)), "by": strconv.Itoa(in.n)}
			default:
				c.OptedOut = !c.OptedOut
			}
			if err := s.UpdateContact(ctx, c); err != nil && !isNotFound(err) {
				return err
			}
		}
	case p < 63:
		ids := randomIDs(ctx, s, "contacts", rng, 1+rng.IntN(2))
		if _, err := s.DeleteContacts(ctx, ids); err != nil {
			return err
		}
		tr.del(ids)
	case p < 71:
		if _, err := s.CreateGroup(ctx, fmt.Sprintf("g%d-%d", in.n, seq)); err != nil {
			return err
		}
	case p < 77:
		for _, id := range randomIDs(ctx, s, "contact_groups", rng, 1) {
			if _, err := s.RenameGroup(ctx, id, fmt.Sprintf("r%d-%d", in.n, seq)); err != nil && !isNotFound(err) {
				return err
			}
		}
	case p < 81:
		for _, id := range randomIDs(ctx, s, "contact_groups", rng, 1) {
			if err := s.DeleteGroup(ctx, id); err != nil && !isNotFound(err) {
				return err
			}
		}
	case p < 93:
		for _, g := range randomIDs(ctx, s, "contact_groups", rng, 1) {
			if _, err := s.AddMembers(ctx, g, randomIDs(ctx, s, "contacts", rng, 1+rng.IntN(5))); err != nil && !isNotFound(err) {
				return err
			}
		}
	default:
		for _, g := range randomIDs(ctx, s, "contact_groups", rng, 1) {
			if _, err := s.RemoveMembers(ctx, g, randomIDs(ctx, s, "contacts", rng, 3)); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
	return nil
}

// randomCampaignChange creates, edits or deletes a draft campaign on random
// groups: the campaign tables travel like the contact tables.
func randomCampaignChange(ctx context.Context, in *install, rng *rand.Rand, seq, p int) error {
	s := in.store
	benign := func(err error) error {
		var ve *models.ValidationError
		if err == nil || isNotFound(err) || errorsIs(err, models.ErrState) || errorsAs(err, &ve) {
			return nil // a group deleted meanwhile, a campaign gone: not the test's concern
		}
		return err
	}
	switch {
	case p < 5:
		c := &models.Campaign{Name: fmt.Sprintf("k%d-%d", in.n, seq), Template: "Hello {{name}} " + strconv.Itoa(seq),
			GroupIDs: randomIDs(ctx, s, "contact_groups", rng, 1+rng.IntN(2)), Pacing: models.Pacing{Preset: "custom", MinDelayMS: int64(rng.IntN(5000))}}
		return benign(s.CreateCampaign(ctx, c))
	case p < 9:
		for _, id := range randomIDs(ctx, s, "campaigns", rng, 1) {
			c, err := s.GetCampaign(ctx, id)
			if err != nil {
				return benign(err)
			}
			c.Name = fmt.Sprintf("e%d-%d", in.n, seq)
			if rng.IntN(2) == 0 {
				c.GroupIDs = randomIDs(ctx, s, "contact_groups", rng, 1+rng.IntN(2))
			}
			return benign(s.UpdateCampaign(ctx, c))
		}
	default:
		for _, id := range randomIDs(ctx, s, "campaigns", rng, 1) {
			return benign(s.DeleteCampaign(ctx, id))
		}
	}
	return nil
}

func isNotFound(err error) bool { return err != nil && errorsIs(err, models.ErrNotFound) }

func testSeed(t *testing.T) uint64 {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SAMBAD_SYNC_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (rerun with SAMBAD_SYNC_SEED=%d)", seed, seed)
	return seed
}

// TestChaosConvergence: two installs make random changes while the network
// to Postgres is cut and blackholed at random and the workers are killed,
// some of them between the cloud's commit and the local acknowledgement.
// Afterwards both installs and Postgres hold identical data, every op was
// applied exactly once, and no contact created and never deleted is missing.
func TestChaosConvergence(t *testing.T) {
	seed := testSeed(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	ctx := context.Background()
	dbURL, cloud := migratedCloud(t)
	logApplied(t, cloud)
	target, _ := url.Parse(dbURL)
	px := testdb.NewProxy(t, target.Host)
	viaProxy := *target
	viaProxy.Host = px.Addr()

	tr := &tracker{created: map[string]bool{}, deleted: map[string]bool{}}
	installs := []*install{{n: 0, store: testdb.SQLite(t), url: viaProxy.String()}, {n: 1, store: testdb.SQLite(t), url: viaProxy.String()}}
	var killMu sync.Mutex
	killRng := rand.New(rand.NewPCG(seed, 2))
	afterPushKills := 0
	killer := func() bool {
		killMu.Lock()
		defer killMu.Unlock()
		if killRng.IntN(4) == 0 {
			afterPushKills++
			return true
		}
		return false
	}
	for _, in := range installs {
		in.start(killer)
	}

	const cuts = 50
	writeCtx, stopWriting := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, len(installs))
	for i, in := range installs {
		wg.Add(1)
		r := rand.New(rand.NewPCG(seed, uint64(10+i)))
		go func() {
			defer wg.Done()
			for seq := 0; writeCtx.Err() == nil; seq++ {
				if err := randomChange(ctx, in, r, seq, tr); err != nil {
					errs <- fmt.Errorf("install %d: %w", in.n, err)
					return
				}
				time.Sleep(time.Duration(r.IntN(8)) * time.Millisecond)
			}
		}()
	}
	for i := 0; i < cuts; i++ {
		time.Sleep(time.Duration(80+rng.IntN(160)) * time.Millisecond)
		switch rng.IntN(5) {
		case 0, 1:
			px.Cut()
		case 2:
			px.Blackhole()
		case 3:
			in := installs[rng.IntN(len(installs))]
			in.stop()
			in.kills++
			in.start(killer)
		}
		time.Sleep(time.Duration(rng.IntN(200)) * time.Millisecond)
		px.Restore()
	}
	stopWriting()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	px.Restore()
	for _, in := range installs {
		in.stop()
	}

	// The network has healed: sync until quiet.
	workers := []*syncer.Worker{newWorker(installs[0].store, viaProxy.String()), newWorker(installs[1].store, viaProxy.String())}
	for _, w := range workers {
		// The attempts that timed out during the chaos may still be running
		// in Postgres; the first rounds queue behind them.
		w.OpTimeout = 20 * time.Second
	}
	for i := 0; i < 2; i++ {
		for _, w := range workers {
			rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			err := w.Round(rctx)
			cancel()
			if err != nil {
				var act []string
				testdb.Gorm(cloud).Raw(`SELECT state || ' ' || COALESCE(wait_event_type, '') || ' ' || COALESCE(wait_event, '') || ' ' || left(query, 60) || ' xact ' || COALESCE(now() - xact_start, '0')::text FROM pg_stat_activity WHERE datname = current_database()`).Scan(&act)
				t.Fatalf("sync round after healing: %v\nactivity: %q", err, act)
			}
		}
	}
	for _, w := range workers {
		st, err := w.Status(ctx)
		if err != nil || st.Pending != 0 || st.Held != 0 {
			t.Fatalf("status after healing: %+v, %v", st, err)
		}
		for _, r := range st.Rejected {
			t.Errorf("rejected %s %s %s: %s", r.Kind, r.Table, r.RowID, r.Reason)
		}
	}
	a, b, c := takeSnapshot(t, installs[0].store), takeSnapshot(t, installs[1].store), takeSnapshot(t, cloud)
	assertSame(t, "install 0 and Postgres", a, c)
	assertSame(t, "install 1 and Postgres", b, c)

	// Every op of every install reached Postgres exactly once, though the
	// workers pruned sync_applied all along (each new worker prunes on its
	// first round), and no record an install can no longer need is left.
	for _, in := range installs {
		ops := assertAppliedOnce(t, fmt.Sprintf("install %d", in.n), cloud, in.store)
		t.Logf("install %d: %d ops, %d kills", in.n, ops, in.kills)
	}
	// Nothing written locally is lost.
	present := map[string]bool{}
	var ids []string
	testdb.Gorm(cloud).Raw(`SELECT id::text FROM contacts`).Scan(&ids)
	for _, id := range ids {
		present[id] = true
	}
	for id := range tr.created {
		if !tr.deleted[id] && !present[id] {
			t.Fatalf("contact %s was created, never deleted, and is missing", id)
		}
	}
	t.Logf("%d contacts created, %d in the end, %d groups, %d memberships, %d campaigns, %d campaign groups; %d kills after a push", len(tr.created), len(a.Contacts), len(a.Groups), len(a.Members), len(a.Campaigns), len(a.CampaignGroups), afterPushKills)
}
