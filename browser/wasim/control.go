package wasim

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// ErrNoQR is returned by Scan when no page is showing a live QR code.
var ErrNoQR = errors.New("wasim: no QR code is showing")

// ErrBadLinkCode is returned by ConfirmLinkCode for a code no page shows.
var ErrBadLinkCode = errors.New("wasim: no page shows this link code")

// Scan links the device whose page currently shows a live QR code, as a
// phone scanning it would. The page learns it on its next poll, stores the
// session in the browser profile and opens the chat list. The device joins
// the DefaultAccount.
func (s *Server) Scan() error {
	return s.ScanRefAs("", "")
}

// ScanRef links the page showing the QR payload ref ("" means whichever QR
// is showing) to the DefaultAccount. An old payload of a rotated or expired
// QR is rejected, as on the real phone, except within a short grace after a
// rotation (the page learns of a rotation by polling, so it may still show
// the previous code).
func (s *Server) ScanRef(ref string) error {
	return s.ScanRefAs(ref, "")
}

// ScanRefAs is ScanRef by the phone of account (its own number, digits; ""
// is the DefaultAccount): the device becomes one more linked device of that
// account, with its chats, and the page reads that number as its own.
func (s *Server) ScanRefAs(ref, account string) error {
	if account != "" && !plausiblePhone.MatchString(account) {
		return fmt.Errorf("wasim: account %q is not a phone number (digits, no +)", account)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, p := range s.pairingsByRecency() {
		if !p.showing(now, s.opts) {
			continue
		}
		if ref != "" && !p.accepts(ref, now, s.opts) {
			continue
		}
		s.link(p, account, now)
		return nil
	}
	if ref != "" {
		return fmt.Errorf("%w with payload %q", ErrNoQR, ref)
	}
	return ErrNoQR
}

// ConfirmLinkCode links the page showing the 8-character phone-number link
// code, as typing it on the phone would; the device joins the account of the
// number typed on the page.
func (s *Server) ConfirmLinkCode(code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, p := range s.pairings {
		if p.code != "" && p.code == code && p.token == "" && now.Sub(p.lastPoll) <= showingWindow {
			s.link(p, p.codePhone, now)
			return nil
		}
	}
	return ErrBadLinkCode
}

func (s *Server) link(p *pairing, account string, now time.Time) {
	a := s.accountLocked(account)
	a.devices++
	d := &device{token: randomID() + randomID(), account: a, number: a.devices, linkedAt: now}
	s.devices[d.token] = d
	p.token, p.wid = d.token, d.wid()
}

func (s *Server) pairingsByRecency() []*pairing {
	ps := make([]*pairing, 0, len(s.pairings))
	for _, p := range s.pairings {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].lastPoll.After(ps[j].lastPoll) })
	return ps
}

// CurrentQR returns the QR payload shown right now ("" if none is showing),
// the same string the page carries in its data-ref attribute.
func (s *Server) CurrentQR() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, p := range s.pairingsByRecency() {
		if p.showing(now, s.opts) {
			i, _ := p.index(now, s.opts)
			return p.payload(i)
		}
	}
	return ""
}

// QRRotations returns how many times the QR code of the most recently shown
// series has changed so far (0 while the first code shows).
func (s *Server) QRRotations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.recentPairing(); p != nil {
		i, _ := p.index(time.Now(), s.opts)
		return i
	}
	return 0
}

// QRSeries returns how many QR series the most recent landing page has
// started (1 at first, +1 for each click on the reload button).
func (s *Server) QRSeries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.recentPairing(); p != nil {
		return p.series
	}
	return 0
}

func (s *Server) recentPairing() *pairing {
	ps := s.pairingsByRecency()
	if len(ps) == 0 {
		return nil
	}
	return ps[0]
}

// LinkCode returns the phone-number link code the most recent landing page
// shows, or "".
func (s *Server) LinkCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.recentPairing(); p != nil && p.token == "" {
		return p.code
	}
	return ""
}

// Linked reports whether a device is linked (a valid session exists).
func (s *Server) Linked() bool {
	return s.LinkedAccount("")
}

// LinkedAccount reports whether a device of account (its phone; "" any)
// is linked.
func (s *Server) LinkedAccount(account string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.devicesOf(account) {
		if !d.loggedOut {
			return true
		}
	}
	return false
}

// Logout logs every linked device out, as "Log out" on the phone does. An
// open page navigates to ?post_logout=1, clears its storage and shows the QR
// landing; a page loaded later with the old session is rejected the same way.
func (s *Server) Logout() {
	s.LogoutAccount("")
}

// LogoutAccount logs out the devices of one account (its phone; "" all):
// "Linked devices → Log out" on that phone. Other accounts' devices stay.
func (s *Server) LogoutAccount(account string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.devicesOf(account) {
		d.loggedOut = true
	}
}

// SetUnknown marks phone (digits, no +) as not on WhatsApp: click-to-chat
// shows "Phone number shared via url is invalid." and nothing can be sent.
func (s *Server) SetUnknown(phone string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unknown[phone] = true
}

// SetKnown undoes SetUnknown.
func (s *Server) SetKnown(phone string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.unknown, phone)
}

// SetAcks replaces the ack policy for messages accepted from now on.
func (s *Server) SetAcks(p AckPolicy) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acks = p
}

// Acks returns the current ack policy.
func (s *Server) Acks() AckPolicy {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acks
}

// SetAckDelay delays every ack of messages accepted from now on by d (on top
// of the current policy's delays), keeping Drop as it is.
func (s *Server) SetAckDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.opts.Acks
	p.SentAfter += d
	if p.DeliveredAfter >= 0 {
		p.DeliveredAfter += d
	}
	if p.ReadAfter >= 0 {
		p.ReadAfter += d
	}
	p.Drop = s.acks.Drop
	s.acks = p
}

// RaiseConflict makes every open page show the "WhatsApp is open in another
// window" modal, as if another window took the session over.
func (s *Server) RaiseConflict() {
	s.RaiseConflictOn("")
}

// RaiseConflictOn raises the conflict modal on the devices of one account
// (its phone; "" all).
func (s *Server) RaiseConflictOn(account string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.devicesOf(account) {
		d.activeTab = elsewhere
	}
}

// InConflict reports whether the linked session is held by a window other
// than the last page that claimed it.
func (s *Server) InConflict() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.devices {
		if !d.loggedOut && d.activeTab == elsewhere {
			return true
		}
	}
	return false
}

// SetOffline takes every account's phone offline (the page shows the
// "Trying to reach phone" / "Phone not connected" banner and new messages
// stay on the clock) or back online (held messages are accepted and acked).
func (s *Server) SetOffline(offline bool) {
	s.SetAccountOffline("", offline)
}

// SetAccountOffline is SetOffline for the phone of one account ("" all).
func (s *Server) SetAccountOffline(account string, offline bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, a := range s.accounts {
		if account != "" && a.phone != account {
			continue
		}
		if offline == a.offline {
			continue
		}
		a.offline = offline
		if offline {
			a.offSince = now
			continue
		}
		for _, msgs := range a.chats {
			for _, m := range msgs {
				if m.queued {
					s.accept(a, m, now)
				}
			}
		}
	}
}

// AddIncoming adds a message from phone to its chat on the DefaultAccount,
// as if the contact wrote.
func (s *Server) AddIncoming(phone, text string) {
	s.AddIncomingTo("", phone, text)
}

// AddIncomingTo adds a message from phone to its chat on account (its own
// number; "" the DefaultAccount).
func (s *Server) AddIncomingTo(account, phone, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountLocked(account)
	m := &message{ID: newMessageID(), Phone: phone, Text: text, Time: time.Now()}
	a.chats[phone] = append(a.chats[phone], m)
}

// Ledger returns every message that reached the server, oldest first.
func (s *Server) Ledger() []LedgerEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LedgerEntry(nil), s.ledger...)
}

// Ack returns the current ack level (AckPending..AckRead) of the outgoing
// message id, and false if the server never saw it.
func (s *Server) Ack(id string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, a := range s.accounts {
		for _, msgs := range a.chats {
			for _, m := range msgs {
				if m.ID == id && m.FromMe {
					return m.ack(now), true
				}
			}
		}
	}
	return AckPending, false
}

// Reset forgets every session, message, unknown number and setting, back to
// the options given to New. Browser profiles keep their (now invalid) tokens.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
}

func newMessageID() string {
	const hex = "0123456789ABCDEF"
	b := randomBytes(16)
	out := []byte("3EB0")
	for _, c := range b {
		out = append(out, hex[c%16])
	}
	return string(out)
}
