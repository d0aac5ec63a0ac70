package wasim

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
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

func TestClickToChatSendsExactText(t *testing.T) {
	s, base := startSim(t, fastOptions())
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
	if got := evalStr(t, p, `document.querySelector('#main header span[title]').textContent`); !strings.Contains(got, phone) {
		t.Fatalf("chat header says %q", got)
	}
}
