package server

import (
	"context"
	"time"
)

// waBadge is the WhatsApp state in the top bar of every page.
type waBadge struct {
	State string
	Short string // a word or two that fits a phone's top bar
	Label string
	Tone  string
	// Ready says the session is connected; Live says the state can be
	// followed over the event stream (there is a driver).
	Ready, Live bool
	// CanSend says a campaign started now would send rather than wait: the
	// campaign engine's view of WhatsApp.
	CanSend bool
	// Name is the first account's name when there are several (else
	// "WhatsApp"); Others are the other accounts' states.
	Name   string
	Others []accountBadge
}

// accountBadge is one more account's state in the top bar.
type accountBadge struct {
	Name, State, Short, Label, Tone string
}

var badgeShort = map[string]string{
	"stopped": "Stopped", "starting": "Starting", "loading": "Loading", "qr": "Not linked", "ready": "Connected",
	"conflict": "Open elsewhere", "phone_offline": "Phone offline", "logged_out": "Logged out",
	"crashed": "Restarting", "restarting": "Restarting", "failed": "Failed",
}

// whatsappBadge returns the WhatsApp state as the top bar shows it.
func (s *Server) whatsappBadge() *waBadge {
	b := &waBadge{State: "off", Short: "Off", Label: "the driver is off", Tone: "bad"}
	if s.wa != nil {
		b = newBadge(s.wa.Status())
	}
	b.CanSend = b.Ready
	if s.campaigns != nil {
		b.CanSend = s.campaigns.CanSend()
	}
	b.Name = "WhatsApp"
	s.addAccountBadges(b)
	return b
}

// addAccountBadges names the first account and adds the others' states,
// when there are several accounts.
func (s *Server) addAccountBadges(b *waBadge) {
	if s.accounts == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	list, err := s.accounts.List(ctx)
	if err != nil || len(list) < 2 {
		return
	}
	b.Name = list[0].Name
	for _, a := range list[1:] {
		nb := newBadge(a.Session)
		if !a.Here {
			nb.Short, nb.Label, nb.Tone = "Elsewhere", "on another install", ""
		}
		b.Others = append(b.Others, accountBadge{Name: a.Name, State: a.State, Short: nb.Short, Label: nb.Label, Tone: nb.Tone})
	}
}

func newBadge(st SessionStatus) *waBadge {
	v := newSessionView(true, st)
	short, ok := badgeShort[st.State]
	if !ok {
		short = v.Label
	}
	tone := v.Tone
	if tone == "" || tone == "brand" {
		tone = "warn"
	}
	if st.State == "ready" {
		tone = "ok"
	}
	if st.Asleep {
		short, tone = "Asleep", ""
		v.Label = "asleep (starts when needed)"
	}
	return &waBadge{State: st.State, Short: short, Label: v.Label, Tone: tone, Ready: st.State == "ready", Live: true}
}
