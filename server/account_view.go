package server

// accountView is one account's card on the accounts page.
type accountView struct {
	Account
	Session sessionView
	// CapText is today's sends against the cap ("12 of 200 today").
	CapLeft int64
	First   bool
	// Live marks the update sent over the event stream.
	Live bool
}

func newAccountView(a Account, first bool) accountView {
	v := accountView{Account: a, First: first}
	v.Session = newSessionView(a.Here, a.Session)
	if !a.Here {
		v.Session.Label, v.Session.Tone, v.Session.Hint = "On another install", "", "This account's WhatsApp session is on another install; it is driven there."
	}
	if a.State == "qr" {
		v.Session.Hint = "On the phone of this number open WhatsApp → Settings → Linked devices → Link a device, and scan this code. It changes every 20 seconds."
	}
	if a.Session.Asleep {
		v.Session.Label, v.Session.Tone = "Asleep", ""
		v.Session.Hint = "The browser stopped for want of work, to save memory; it starts by itself when a message or a campaign needs it."
		if a.Phone == "" {
			v.Session.Hint = "The browser is stopped to save memory. Start it to link this account."
		}
	}
	if a.DailyCap > 0 {
		v.CapLeft = max(int64(a.DailyCap)-a.SentToday, 0)
	}
	return v
}

// accountsPage is what accounts.html shows.
type accountsPage struct {
	Accounts []accountView
	Max      int
	CanAdd   bool
	Enabled  bool
	Region   string
}
