package wasim

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/input"
)

const (
	composeBox = `div[contenteditable="true"][data-tab="10"][aria-label="Type a message"]`
	sendButton = `button[aria-label="Send"]`
)

func sendURL(base, phone, text string) string {
	return base + "/send?phone=" + phone + "&text=" + url.QueryEscape(text)
}

// longText is exactly 4096 characters (runes) of mixed scripts, emoji and
// newlines, including a blank line.
func longText() string {
	var b strings.Builder
	b.WriteString("Namaste 🙏 नमस्ते\n\nLine two: \"quotes\" & <tags> 50% +x\n👨‍👩‍👧 family, ñ, 中文\n")
	filler := []rune("abc 123 ✓ é 😀 ")
	r := []rune(b.String())
	for len(r) < 4095 {
		r = append(r, filler[len(r)%len(filler)])
	}
	return string(append(r[:4095], '!'))
}

// bubbleText reads a bubble's text as a user sees it: emoji images count as
// their alt text.
const bubbleText = `(row => { let out = ''; const walk = n => { if (n.nodeType === 3) out += n.data; else if (n.tagName === 'IMG') out += n.alt; else if (n.getAttribute && n.getAttribute('role') === 'button') return; else n.childNodes.forEach(walk); }; walk(row.querySelector('span.selectable-text')); return out; })`

func TestClickToChatSendsExactText(t *testing.T) {
	opts := fastOptions()
	opts.ReadMoreAfter = 1000
	s, base := startSim(t, opts)
	p := linkPage(t, s, base)
	const phone = "919876543210"
	text := longText()
	if n := len([]rune(text)); n != 4096 {
		t.Fatalf("test text has %d runes", n)
	}
	if err := p.Navigate(sendURL(base, phone, text)); err != nil {
		t.Fatal(err)
	}
	element(t, p, composeBox)
	click(t, element(t, p, sendButton+` span[data-icon="send"]`))
	l := waitLedger(t, s, 1, 5*time.Second)
	if l[0].Phone != phone || l[0].Text != text {
		t.Fatalf("ledger got %q to %s, want the exact %d-rune text", l[0].Text, l[0].Phone, len([]rune(text)))
	}
	row := fmt.Sprintf(`[data-id="true_%s@c.us_%s"]`, phone, l[0].ID)
	element(t, p, row+` .message-out`)
	element(t, p, row+` span[data-icon="msg-dblcheck"][aria-label=" Read "]`)
	if got := evalStr(t, p, bubbleText+`(document.querySelector('`+row+`'))`); got != string([]rune(text)[:1000])+"..." {
		t.Fatalf("cut bubble shows %d runes: %q", len([]rune(got)), got)
	}
	more, err := p.Timeout(3*time.Second).ElementR(row+` div[role="button"]`, `^Read more$`)
	if err != nil {
		t.Fatal(err)
	}
	click(t, more)
	if got := evalStr(t, p, bubbleText+`(document.querySelector('`+row+`'))`); got != text {
		t.Fatalf("expanded bubble shows %d runes, want the exact text", len([]rune(got)))
	}
	if got := evalStr(t, p, `document.querySelector('#main header span[title]').textContent`); got != "+91 98765 43210" {
		t.Fatalf("chat header says %q, want the formatted number", got)
	}
}

// Typing by hand: CDP Input.insertText (with newlines), Shift+Enter, a
// Backspace, then Enter to send.
func TestComposeTypingAndEnter(t *testing.T) {
	s, base := startSim(t, fastOptions())
	p := linkPage(t, s, base)
	if err := p.Navigate(sendURL(base, "14155550123", "old draft")); err != nil {
		t.Fatal(err)
	}
	box := element(t, p, composeBox)
	element(t, p, sendButton)
	if err := box.Focus(); err != nil {
		t.Fatal(err)
	}
	if err := p.KeyActions().Press(input.ControlLeft).Type(input.KeyA).Release(input.ControlLeft).Do(); err != nil {
		t.Fatal(err)
	}
	if err := p.Keyboard.Type(input.Backspace); err != nil {
		t.Fatal(err)
	}
	element(t, p, `button[aria-label="Voice message"]`)
	if has, _, _ := p.Has(sendButton); has {
		t.Fatal("send button shown for an empty compose box")
	}
	if err := box.Input("first line\n  indented 😀"); err != nil {
		t.Fatal(err)
	}
	if err := p.KeyActions().Press(input.ShiftLeft).Type(input.Enter).Release(input.ShiftLeft).Do(); err != nil {
		t.Fatal(err)
	}
	if err := p.InsertText("thirdx"); err != nil {
		t.Fatal(err)
	}
	if err := p.Keyboard.Type(input.Backspace); err != nil {
		t.Fatal(err)
	}
	element(t, p, sendButton)
	if err := p.Keyboard.Type(input.Enter); err != nil {
		t.Fatal(err)
	}
	l := waitLedger(t, s, 1, 5*time.Second)
	if want := "first line\n  indented 😀\nthird"; l[0].Text != want {
		t.Fatalf("ledger %q, want %q", l[0].Text, want)
	}
	waitJS(t, p, "an emptied compose box", `document.querySelector('div[contenteditable="true"][data-tab="10"]').textContent === ''`, 3*time.Second)
}

func TestAcksArriveLate(t *testing.T) {
	opts := fastOptions()
	opts.Acks = AckPolicy{SentAfter: 700 * time.Millisecond, DeliveredAfter: 1400 * time.Millisecond, ReadAfter: 2100 * time.Millisecond}
	s, base := startSim(t, opts)
	p := linkPage(t, s, base)
	if err := p.Navigate(sendURL(base, "5511987654321", "olá")); err != nil {
		t.Fatal(err)
	}
	click(t, element(t, p, sendButton))
	out := `.message-out [data-icon]`
	waitJS(t, p, "the clock", `document.querySelector('`+out+`[data-icon="msg-time"]')`, 2*time.Second)
	steps := []string{
		`[data-icon="msg-check"][aria-label=" Sent "]`,
		`[data-icon="msg-dblcheck"][aria-label=" Delivered "]`,
		`[data-icon="msg-dblcheck"][aria-label=" Read "]`,
	}
	for _, sel := range steps {
		waitJS(t, p, sel, `document.querySelector('.message-out span`+sel+`')`, 4*time.Second)
	}
	l := s.Ledger()
	if len(l) != 1 || l[0].Text != "olá" || l[0].Phone != "5511987654321" {
		t.Fatalf("ledger %+v", l)
	}
	if ack, ok := s.Ack(l[0].ID); !ok || ack != AckRead {
		t.Fatalf("Ack(%s) = %d, %v", l[0].ID, ack, ok)
	}

	// History: reopening the chat shows the sent bubble with its id.
	s.AddIncoming("5511987654321", "obrigado 👍")
	if err := p.Navigate(sendURL(base, "5511987654321", "")); err != nil {
		t.Fatal(err)
	}
	element(t, p, `[data-id="true_5511987654321@c.us_`+l[0].ID+`"] .message-out`)
	element(t, p, `[data-id^="false_5511987654321@c.us_"] .message-in img.emoji[alt="👍"]`)
}

func TestInvalidNumberModal(t *testing.T) {
	s, base := startSim(t, fastOptions())
	p := linkPage(t, s, base)
	s.SetUnknown("15550001111")
	for _, phone := range []string{"15550001111", "12ab", "123"} {
		if err := p.Navigate(sendURL(base, phone, "hello")); err != nil {
			t.Fatal(err)
		}
		// A transient "Starting chat" dialog comes first, as on the real page.
		if _, err := p.Timeout(5*time.Second).ElementR(`[role="dialog"]`, `Phone number shared via url is invalid\.`); err != nil {
			t.Fatalf("%s: no invalid-number modal: %v", phone, err)
		}
		if has, _, _ := p.Has(composeBox); has {
			t.Fatalf("%s: compose box shown for an invalid number", phone)
		}
		ok, err := p.Timeout(3*time.Second).ElementR(`[role="dialog"] div[role="button"]`, `^OK$`)
		if err != nil {
			t.Fatal(err)
		}
		click(t, ok)
		waitJS(t, p, "the modal to close", `!document.querySelector('[role="dialog"]')`, 3*time.Second)
	}
	if n := len(s.Ledger()); n != 0 {
		t.Fatalf("ledger has %d entries", n)
	}
}

func TestOfflineHoldsMessages(t *testing.T) {
	s, base := startSim(t, fastOptions())
	p := linkPage(t, s, base)
	s.SetOffline(true)
	waitJS(t, p, "the offline banner", `document.querySelector('#side').textContent.includes('Trying to reach phone')`, 3*time.Second)
	if err := p.Navigate(sendURL(base, "919812345678", "wait for me")); err != nil {
		t.Fatal(err)
	}
	click(t, element(t, p, sendButton))
	element(t, p, `.message-out span[data-icon="msg-time"]`)
	time.Sleep(500 * time.Millisecond) // longer than every ack delay
	if has, _, _ := p.Has(`.message-out span[data-icon="msg-check"]`); has || len(s.Ledger()) != 0 {
		t.Fatal("message left the clock while the phone was offline")
	}
	s.SetOffline(false)
	if l := waitLedger(t, s, 1, 3*time.Second); l[0].Text != "wait for me" {
		t.Fatalf("ledger %q", l[0].Text)
	}
	element(t, p, `.message-out span[data-icon="msg-dblcheck"]`)
	waitJS(t, p, "the banner to go", `!document.querySelector('#side').textContent.includes('Trying to reach phone')`, 3*time.Second)
}

func TestDroppedMessageStaysOnTheClock(t *testing.T) {
	opts := fastOptions()
	opts.SendIcon = SendIconFilled
	s, base := startSim(t, opts)
	p := linkPage(t, s, base)
	s.SetAcks(AckPolicy{SentAfter: 100 * time.Millisecond, Drop: true})
	if err := p.Navigate(sendURL(base, "919812345678", "lost")); err != nil {
		t.Fatal(err)
	}
	click(t, element(t, p, sendButton+` span[data-icon="wds-ic-send-filled"]`))
	element(t, p, `.message-out span[data-icon="msg-time"]`)
	time.Sleep(600 * time.Millisecond)
	if has, _, _ := p.Has(`.message-out span[data-icon="msg-check"]`); has || len(s.Ledger()) != 0 {
		t.Fatal("a dropped message got an ack or reached the ledger")
	}
	// The clock survives a reload: unsent messages live in the profile.
	if err := p.Reload(); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(sendURL(base, "919812345678", "")); err != nil {
		t.Fatal(err)
	}
	element(t, p, `[data-id^="true_919812345678@c.us_"] span[data-icon="msg-time"]`)
}
