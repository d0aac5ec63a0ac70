package browser

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/browser/wasim"
)

// lateSim is a simulator whose every chat shows its compose box seconds
// before the box's handlers are wired, and fills text= late.
func lateSim(t *testing.T) (*wasim.Server, *Manager) {
	t.Helper()
	o := simOptions()
	o.Timing = wasim.Timing{EarlyCompose: 1, HistoryMin: 800 * time.Millisecond, HistoryMax: 1500 * time.Millisecond, FillMin: time.Second, FillMax: 2 * time.Second}
	return linkedSim(t, o)
}

// linkedSim starts a simulator with o and a manager linked to it.
func linkedSim(t *testing.T, o wasim.Options) (*wasim.Server, *Manager) {
	t.Helper()
	s := wasim.New(o)
	s.ReportSeedOnFailure(t)
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	opts := testOptions(filepath.Join(t.TempDir(), "data"))
	opts.BaseURL = base
	m := newManager(t, opts)
	st := waitState(t, m, 30*time.Second, StateQR, StateReady)
	if st.State == StateQR {
		if st.QR == "" {
			st = waitQRPayload(t, m)
		}
		if err := s.ScanRef(st.QR); err != nil {
			t.Fatal(err)
		}
		waitState(t, m, 30*time.Second, StateReady)
	}
	return s, m
}

// Every chat wires its box late, after the text is typed: each send still
// goes out exactly once with its text, in both text modes, and a stale
// draft left in a chat is replaced, never sent.
func TestSendSurvivesLateWiringAndDrafts(t *testing.T) {
	s, m := lateSim(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	want := map[string]string{}
	for i := 0; i < 6; i++ {
		phone := fmt.Sprintf("9198300%05d", i%3)
		text := fmt.Sprintf("late wiring %d\nsecond line ✓\n\n  after a blank line", i)
		if i%2 == 1 {
			m.opts.TextMode = TextURL
		}
		res, err := m.SendText(ctx, "+"+phone, text)
		m.opts.TextMode = TextInsert
		if err != nil {
			t.Fatalf("send %d (mode %d): %v", i, i%2, err)
		}
		if res.MessageID == "" || res.Ack < AckSent {
			t.Fatalf("send %d: %+v", i, res)
		}
		want[text] = phone
	}

	// Leave a draft in a chat, as an interrupted send or a person would.
	const draftPhone = "919830099999"
	err := m.withPage(ctx, "draft", []State{StateReady}, func(ctx context.Context, pd *pageDriver) error {
		if _, err := m.openChatPrepared(ctx, pd, draftPhone, "", true); err != nil {
			return err
		}
		if err := pd.typeText(ctx, "stale draft, never to be sent"); err != nil {
			return err
		}
		_, err := m.waitSendButton(ctx, pd, "stale draft, never to be sent", true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.SendText(ctx, "+"+draftPhone, "the real message"); err != nil {
		t.Fatal(err)
	}
	want["the real message"] = draftPhone

	got := map[string]int{}
	for _, e := range s.Ledger() {
		got[e.Text]++
		if p, ok := want[e.Text]; !ok || p != e.Phone {
			t.Errorf("unexpected message to %s: %q", e.Phone, e.Text)
		}
	}
	for text := range want {
		if got[text] != 1 {
			t.Errorf("%q reached WhatsApp %d times, want 1", text, got[text])
		}
	}
}

// A long message shows cut with "Read more", as on the real page: its row
// still counts as sent (the bubble shows the start of our text), and
// RecentOutgoing reads the whole text, so reconciliation finds it.
func TestSendLongMessageShownCut(t *testing.T) {
	o := simOptions()
	o.ReadMoreAfter = 200
	s, m := linkedSim(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	text := strings.Repeat("A long price list line ✓ ", 30)
	res, err := m.SendText(ctx, "+919830100000", text)
	if err != nil {
		t.Fatal(err)
	}
	if l := s.Ledger(); len(l) != 1 || l[0].Text != text || !strings.HasSuffix(res.MessageID, l[0].ID) {
		t.Fatalf("ledger %+v, result %+v", l, res)
	}
	got, err := m.RecentOutgoing(ctx, "+919830100000", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != res.MessageID || got[0].Text != text {
		t.Fatalf("RecentOutgoing = %+v, want the whole text of %s", got, res.MessageID)
	}
}
