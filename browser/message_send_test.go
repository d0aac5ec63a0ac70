package browser

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// sendCtx bounds a test's sends. The simulator's compose timings are on
// (a send takes 1-3 s, as on a busy account), so 50 sends need more than a
// minute; the bound only stops a hung test, it asserts no speed.
func sendCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// 50 sends reach the simulated server exactly once each, with exact text.
func TestSendFiftyExactlyOnce(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	ids := map[string]bool{}
	for i := 0; i < 50; i++ {
		phone := fmt.Sprintf("+9198100%05d", i%10)
		text := fmt.Sprintf("campaign message %d for %s", i, phone)
		res, err := m.SendText(ctx, phone, text)
		if err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		if res.MessageID == "" || res.Ack < AckSent || ids[res.MessageID] {
			t.Fatalf("send %d: result %+v", i, res)
		}
		ids[res.MessageID] = true
	}
	for i := 0; i < 50; i++ {
		phone := fmt.Sprintf("9198100%05d", i%10)
		text := fmt.Sprintf("campaign message %d for +%s", i, phone)
		n := 0
		for _, e := range ledgerFor(phone) {
			if e.Text == text {
				n++
				if !ids["true_"+phone+"@c.us_"+e.ID] {
					t.Errorf("ledger id %s not returned by SendText", e.ID)
				}
			}
		}
		if n != 1 {
			t.Errorf("message %d reached the server %d times", i, n)
		}
	}
}

// Text arrives byte for byte: unicode, emoji (with ZWJ and skin tones),
// newlines (typed as Shift+Enter), 4096 characters.
func TestSendExactText(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	long := strings.Repeat("abcdefghij ÄÖÜ ✓ ", 4096/17+1)
	long = string([]rune(long)[:4096])
	cases := []struct{ name, text string }{
		{"devanagari", "नमस्ते दुनिया, আমি বাংলায় গান গাই"},
		{"emoji", "Hi 👋🏽 family 👨‍👩‍👧‍👦 flag 🇮🇳 heart ❤️ end"},
		{"newlines", "line one\nline two\n\nline four after a blank\n  indented"},
		{"symbols", `quotes "double" 'single' <tag> & 100% + plus # hash ? q=1&x=2`},
		{"4096", long},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			phone := fmt.Sprintf("9198200%05d", i)
			res, err := m.SendText(ctx, "+"+phone, c.text)
			if err != nil {
				t.Fatal(err)
			}
			got := ledgerFor(phone)
			if len(got) != 1 {
				t.Fatalf("ledger has %d entries", len(got))
			}
			if got[0].Text != c.text {
				t.Fatalf("text differs:\n got %q\nwant %q", got[0].Text, c.text)
			}
			if !strings.HasSuffix(res.MessageID, got[0].ID) {
				t.Fatalf("message id %q, ledger id %q", res.MessageID, got[0].ID)
			}
		})
	}
}

// An unknown number is reported and nothing is sent; CheckNumber tells
// without sending.
func TestInvalidNumber(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	const phone = "919830000001"
	sim.SetUnknown(phone)
	defer sim.SetKnown(phone)
	_, err := m.SendText(ctx, "+"+phone, "should not go")
	if !errors.Is(err, ErrInvalidNumber) {
		t.Fatalf("send to unknown number: %v, want ErrInvalidNumber", err)
	}
	if n := len(ledgerFor(phone)); n != 0 {
		t.Fatalf("ledger has %d messages for the invalid number", n)
	}
	ok, err := m.CheckNumber(ctx, phone)
	if err != nil || ok {
		t.Fatalf("CheckNumber(unknown) = %v, %v", ok, err)
	}
	ok, err = m.CheckNumber(ctx, "+919830000002")
	if err != nil || !ok {
		t.Fatalf("CheckNumber(known) = %v, %v", ok, err)
	}
	if n := len(ledgerFor("919830000002")); n != 0 {
		t.Fatalf("CheckNumber sent %d messages", n)
	}
	// The modal was dismissed: the next send works.
	if _, err := m.SendText(ctx, "+919830000003", "after invalid"); err != nil {
		t.Fatal(err)
	}
}

// Acks arrive as events: sent, delivered, read, for the message id and phone.
func TestAckEventsProgressToRead(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	events, unsub := m.Subscribe()
	defer unsub()
	res, err := m.SendText(ctx, "+919840000001", "ack me")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[Ack]bool{res.Ack: true}
	timeout := time.After(20 * time.Second)
	for !seen[AckRead] {
		select {
		case e := <-events:
			if e.Kind == EventAck && e.MessageID == res.MessageID {
				if e.Phone != "+919840000001" {
					t.Fatalf("ack event phone %q", e.Phone)
				}
				seen[e.Ack] = true
			}
		case <-timeout:
			t.Fatalf("acks seen %v, want read", seen)
		}
	}
	if !seen[AckDelivered] {
		t.Logf("delivered was skipped between polls (seen %v)", seen)
	}
}

// RecentOutgoing reads the last outgoing bubbles of a chat, in order.
func TestRecentOutgoing(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	const phone = "+919850000001"
	var want []SendResult
	texts := []string{"first 👍", "second\nwith a second line", "third"}
	for _, s := range texts {
		r, err := m.SendText(ctx, phone, s)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	sim.AddIncoming("919850000001", "a reply that is not ours")
	got, err := m.RecentOutgoing(ctx, phone, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d messages: %+v", len(got), got)
	}
	for i, g := range got {
		w := want[i+1]
		if g.ID != w.MessageID || g.Text != texts[i+1] || g.Ack < AckSent {
			t.Errorf("message %d = %+v, want id %s text %q", i, g, w.MessageID, texts[i+1])
		}
	}
}
