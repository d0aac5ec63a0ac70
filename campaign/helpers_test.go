package campaign_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// nullSender records sends in memory; numbers in invalid are not on
// WhatsApp, failing makes every send fail.
type nullSender struct {
	mu      sync.Mutex
	sent    []sentMsg
	invalid map[string]bool
	failing atomic.Bool
	down    atomic.Bool
	recent  map[string][]campaign.OutgoingMessage
	readErr map[string]bool
	// readNotReady makes this many chat reads fail with ErrNotReady (the
	// session dropped between Ready and the read).
	readNotReady atomic.Int32
	n            int
}

type sentMsg struct{ Phone, Text, ID string }

func newNullSender() *nullSender {
	return &nullSender{invalid: map[string]bool{}, recent: map[string][]campaign.OutgoingMessage{}, readErr: map[string]bool{}}
}

func (s *nullSender) Ready() bool { return !s.down.Load() }

func (s *nullSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.invalid[phone] {
		return campaign.SendResult{Status: campaign.StatusInvalidNumber}, nil
	}
	if s.failing.Load() {
		return campaign.SendResult{Status: campaign.StatusFailed, Reason: "clock never turned into a tick"}, nil
	}
	s.n++
	id := fmt.Sprintf("true_%s@c.us_%d", strings.TrimPrefix(phone, "+"), s.n)
	s.sent = append(s.sent, sentMsg{phone, text, id})
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: id}, nil
}

func (s *nullSender) RecentOutgoing(ctx context.Context, phone string, n int) ([]campaign.OutgoingMessage, error) {
	if s.readNotReady.Add(-1) >= 0 {
		return nil, fmt.Errorf("sender: %w", campaign.ErrNotReady)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.readErr[phone] {
		return nil, fmt.Errorf("chat did not open")
	}
	return s.recent[phone], nil
}

func (s *nullSender) messages() []sentMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentMsg(nil), s.sent...)
}

// seedContacts creates n contacts named Person 0..n-1 in a new group.
func seedContacts(t *testing.T, s *models.Store, n int, prefix string) (*models.Group, []*models.Contact) {
	t.Helper()
	ctx := context.Background()
	g, err := s.CreateGroup(ctx, "Group "+prefix)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var out []*models.Contact
	for i := 0; i < n; i++ {
		var c models.Contact
		in := models.ContactInput{Phone: fmt.Sprintf("+1415555%s%02d", prefix, i), Name: fmt.Sprintf("Person %d", i),
			Variables: map[string]string{"v1": fmt.Sprintf("V%d", i)}, Attributes: map[string]string{"city": "Pune"}}
		if err := in.Apply(&c, "US"); err != nil {
			t.Fatalf("contact %d: %v", i, err)
		}
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		out = append(out, &c)
	}
	if _, err := s.AddMembers(ctx, g.ID, ids); err != nil {
		t.Fatal(err)
	}
	return g, out
}

func newCampaign(t *testing.T, s *models.Store, tpl string, groupID string, p models.Pacing) *models.Campaign {
	t.Helper()
	p, err := campaign.NormalizePacing(p)
	if err != nil {
		t.Fatal(err)
	}
	c := &models.Campaign{Name: "Test " + t.Name(), Template: tpl, GroupIDs: []string{groupID}, Pacing: p}
	if err := s.CreateCampaign(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

var fast = models.Pacing{Preset: "custom"}

// runEngine starts an engine and stops it when the test ends.
func runEngine(t *testing.T, s *models.Store, snd campaign.Sender, mod func(*campaign.Options)) *campaign.Engine {
	t.Helper()
	o := campaign.Options{Store: s, Sender: snd, IdlePoll: 10 * time.Millisecond, Location: time.UTC}
	if mod != nil {
		mod(&o)
	}
	e := campaign.New(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("engine did not stop within 10 s")
		}
	})
	return e
}

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func stateIs(s *models.Store, id, want string) func() bool {
	return func() bool {
		c, err := s.GetCampaign(context.Background(), id)
		return err == nil && c.State == want
	}
}

type atomicValue = atomic.Value

// engineRig is what most engine tests share: a store, a null sender and an
// engine running over them until the test ends.
type engineRig struct {
	ctx context.Context
	s   *models.Store
	snd *nullSender
	e   *campaign.Engine
}

// newEngineRig starts an engine on s; mod, when not nil, changes its options.
func newEngineRig(t *testing.T, s *models.Store, mod func(*campaign.Options)) *engineRig {
	t.Helper()
	snd := newNullSender()
	return &engineRig{ctx: context.Background(), s: s, snd: snd, e: runEngine(t, s, snd, mod)}
}

// campaign seeds n contacts (phones marked by prefix) in a new group and
// returns a draft campaign to that group, with the contacts.
func (r *engineRig) campaign(t *testing.T, n int, prefix, tpl string, p models.Pacing) (*models.Campaign, []*models.Contact) {
	t.Helper()
	g, cs := seedContacts(t, r.s, n, prefix)
	return newCampaign(t, r.s, tpl, g.ID, p), cs
}

// start starts a campaign and fails the test when it does not start.
func (r *engineRig) start(t *testing.T, id string) models.PlanResult {
	t.Helper()
	res, err := r.e.Start(r.ctx, id)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return res
}

// waitState waits for the campaign to reach state.
func (r *engineRig) waitState(t *testing.T, what, id, state string) {
	t.Helper()
	waitFor(t, what, stateIs(r.s, id, state))
}

// SendFile sends a file as its caption, for tests that do not look at files.
func (s *nullSender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, f.Caption)
}
