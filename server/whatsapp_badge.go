package server

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
	return b
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
	return &waBadge{State: st.State, Short: short, Label: v.Label, Tone: tone, Ready: st.State == "ready", Live: true}
}
