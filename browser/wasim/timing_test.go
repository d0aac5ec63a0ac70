package wasim

import (
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"
)

// timedOptions turn every compose trap on, with fixed delays.
func timedOptions(early float64, history, fill time.Duration) Options {
	o := fastOptions()
	o.Timing = Timing{Seed: 42, EarlyCompose: early, HistoryMin: history, HistoryMax: history, HandlersMax: time.Millisecond, FillMin: fill, FillMax: fill}
	return o
}

const boxText = `document.querySelector('` + composeBox + `').textContent`

// A box shown before its handlers keeps what is typed, shows the
// microphone, and shows the send button only after the next input event.
func TestComposeBoxWiredLate(t *testing.T) {
	s, base := startSim(t, timedOptions(1, 1500*time.Millisecond, 200*time.Millisecond))
	p := linkPage(t, s, base)
	s.AddIncoming("919800000001", "earlier message")
	if err := p.Navigate(sendURL(base, "919800000001", "")); err != nil {
		t.Fatal(err)
	}
	box := element(t, p, composeBox)
	element(t, p, `footer button[aria-label="Voice message"] [data-icon*="mic"]`)
	if has, _, _ := p.Has(`[data-id^="false_"]`); has {
		t.Fatal("the history showed before its delay")
	}
	if err := box.Focus(); err != nil {
		t.Fatal(err)
	}
	if err := p.InsertText("typed early"); err != nil {
		t.Fatal(err)
	}
	element(t, p, `[data-id^="false_919800000001@c.us_"]`) // history loaded: handlers wired
	time.Sleep(300 * time.Millisecond)
	if has, _, _ := p.Has(sendButton); has {
		t.Fatal("the send button showed without an input event after the late wiring")
	}
	if got := evalStr(t, p, boxText); got != "typed early" {
		t.Fatalf("the box lost the early text: %q", got)
	}
	if _, err := p.Eval(`() => document.querySelector('` + composeBox + `').dispatchEvent(new InputEvent('input', {bubbles: true}))`); err != nil {
		t.Fatal(err)
	}
	click(t, element(t, p, sendButton))
	if l := waitLedger(t, s, 1, 5*time.Second); l[0].Text != "typed early" {
		t.Fatalf("ledger %q", l[0].Text)
	}
}

// text= fills the box late and replaces what was typed before; a chat
// keeps its unsent draft when it is opened again.
func TestLateFillAndKeptDraft(t *testing.T) {
	s, base := startSim(t, timedOptions(-1, 100*time.Millisecond, 1500*time.Millisecond))
	p := linkPage(t, s, base)
	opened := time.Now()
	if err := p.Navigate(sendURL(base, "919800000002", "from the link")); err != nil {
		t.Fatal(err)
	}
	box := element(t, p, composeBox)
	if err := box.Focus(); err != nil {
		t.Fatal(err)
	}
	if err := p.InsertText("typed first"); err != nil {
		t.Fatal(err)
	}
	element(t, p, sendButton)
	waitJS(t, p, "the late fill", boxText+` === 'from the link'`, 5*time.Second)
	if d := time.Since(opened); d < time.Second {
		t.Fatalf("text= was filled %s after the navigation, want about 1.5 s", d)
	}
	// Leave the text unsent: it is the chat's draft.
	if err := p.Navigate(sendURL(base, "919800000003", "")); err != nil {
		t.Fatal(err)
	}
	element(t, p, composeBox)
	if err := p.Navigate(sendURL(base, "919800000002", "")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, p, "the kept draft", boxText+` === 'from the link'`, 5*time.Second)
	element(t, p, sendButton)
	if n := len(s.Ledger()); n != 0 {
		t.Fatalf("ledger has %d entries", n)
	}
}

// Enter in a box whose handlers are not wired yet is a line break, not a send.
func TestEnterBeforeWiringDoesNotSend(t *testing.T) {
	s, base := startSim(t, timedOptions(1, 2*time.Second, 200*time.Millisecond))
	p := linkPage(t, s, base)
	if err := p.Navigate(sendURL(base, "919800000004", "")); err != nil {
		t.Fatal(err)
	}
	box := element(t, p, composeBox)
	if err := box.Focus(); err != nil {
		t.Fatal(err)
	}
	if err := p.InsertText("too soon"); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []proto.InputDispatchKeyEventType{proto.InputDispatchKeyEventTypeKeyDown, proto.InputDispatchKeyEventTypeKeyUp} {
		ev := proto.InputDispatchKeyEvent{Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
		if typ == proto.InputDispatchKeyEventTypeKeyDown {
			ev.Text, ev.UnmodifiedText = "\r", "\r"
		}
		if err := ev.Call(p); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(2500 * time.Millisecond)
	if n := len(s.Ledger()); n != 0 {
		t.Fatalf("Enter before the wiring sent %d messages", n)
	}
}

// The same seed gives the same page timings, load after load.
func TestTimingSeedReplays(t *testing.T) {
	a, b := New(Options{Timing: Timing{Seed: 7}}), New(Options{Timing: Timing{Seed: 7}})
	for i := 0; i < 5; i++ {
		if x, y := a.pageTiming(), b.pageTiming(); x != y {
			t.Fatalf("load %d: %+v vs %+v", i, x, y)
		}
	}
	if c := New(Options{Timing: Timing{Seed: 8}}); c.pageTiming() == New(Options{Timing: Timing{Seed: 7}}).pageTiming() {
		t.Fatal("another seed gave the same timings")
	}
	t.Setenv(SeedEnv, "12345")
	if s := New(Options{}); s.Seed() != 12345 {
		t.Fatalf("Seed() = %d with %s=12345", s.Seed(), SeedEnv)
	}
	if s := New(Options{Timing: Timing{Off: true}}); s.Seed() != 0 || !s.pageTiming().Off {
		t.Fatal("Off still draws timings")
	}
}
