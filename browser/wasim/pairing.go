package wasim

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"
)

// pairing is one QR landing screen (one page instance that is not linked).
// A series of QR codes rotates on the server's clock; the page polls it.
type pairing struct {
	id       string
	series   int
	start    time.Time
	refs     []string // ref part of each code in the series
	keys     string   // the constant ",noise,identity,adv" tail of the payload
	lastPoll time.Time
	token    string // set once linked
	code     string // phone-number link code, once asked for
	// codePhone is the number typed for the link code: the account the
	// device joins when the code is confirmed.
	codePhone string
	wid       string // the linked device's own id, once linked
}

// showingWindow is how recently a page must have polled for its QR to count
// as shown on screen.
const showingWindow = 3 * time.Second

func randomB64(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func newPairing(now time.Time, rotations int) *pairing {
	p := &pairing{id: randomID(), lastPoll: now}
	p.keys = "," + randomB64(32) + "," + randomB64(32) + "," + randomB64(16)
	p.newSeries(now, rotations)
	return p
}

func (p *pairing) newSeries(now time.Time, rotations int) {
	p.series++
	p.start = now
	p.refs = make([]string, rotations+1)
	for i := range p.refs {
		p.refs[i] = randomB64(36)
	}
}

// index reports which code of the series is shown at now, and whether the
// series has expired.
func (p *pairing) index(now time.Time, o Options) (int, bool) {
	elapsed := now.Sub(p.start)
	if elapsed < o.FirstQRLifetime {
		return 0, false
	}
	i := 1 + int((elapsed-o.FirstQRLifetime)/o.NextQRLifetime)
	if i >= len(p.refs) {
		return len(p.refs) - 1, true
	}
	return i, false
}

func (p *pairing) payload(i int) string {
	return "2@" + p.refs[i] + p.keys
}

// accepts reports whether a scanned payload links this pairing at now: the
// current code, or the previous one within a grace after the rotation.
func (p *pairing) accepts(ref string, now time.Time, o Options) bool {
	i, _ := p.index(now, o)
	if p.payload(i) == ref {
		return true
	}
	if i == 0 || p.payload(i-1) != ref {
		return false
	}
	rotated := p.start.Add(o.FirstQRLifetime + time.Duration(i-1)*o.NextQRLifetime)
	return now.Sub(rotated) < max(2*o.PollInterval, 500*time.Millisecond)
}

// showing reports whether this pairing's QR is on a screen right now.
func (p *pairing) showing(now time.Time, o Options) bool {
	if p.token != "" || now.Sub(p.lastPoll) > showingWindow {
		return false
	}
	_, expired := p.index(now, o)
	return !expired
}

func randomID() string {
	return strings.TrimRight(base64.URLEncoding.EncodeToString(randomBytes(18)), "=")
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// linkCodeAlphabet avoids look-alike characters, as the real codes do.
const linkCodeAlphabet = "ABCDEFGHJKLMNPQRSTVWXYZ123456789"

func newLinkCode() string {
	b := randomBytes(8)
	out := make([]byte, 8)
	for i, c := range b {
		out[i] = linkCodeAlphabet[int(c)%len(linkCodeAlphabet)]
	}
	return string(out)
}
