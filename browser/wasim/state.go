package wasim

import (
	"sort"
)

// State is a snapshot of the simulator, as GET /__sim/state returns it.
type State struct {
	Linked      bool     `json:"linked"`
	QR          string   `json:"qr"`
	QRRotations int      `json:"qr_rotations"`
	QRSeries    int      `json:"qr_series"`
	LinkCode    string   `json:"link_code"`
	Conflict    bool     `json:"conflict"`
	Offline     bool     `json:"offline"`
	Unknown     []string `json:"unknown"`
	Ledger      int      `json:"ledger"`
	Acks        ackJSON  `json:"acks"`
	// Accounts are the simulated WhatsApp accounts (own numbers), each
	// with its devices; Offline and Conflict above are true when any is.
	Accounts []AccountState `json:"accounts"`
}

// AccountState is one simulated account in State.
type AccountState struct {
	Phone    string `json:"phone"`
	Linked   int    `json:"linked"`   // devices linked and not logged out
	Conflict bool   `json:"conflict"` // a device is held by another window
	Offline  bool   `json:"offline"`
	Ledger   int    `json:"ledger"` // messages it sent that reached the server
}

type ackJSON struct {
	SentMS      int64 `json:"delay_ms"`
	DeliveredMS int64 `json:"delivered_ms"`
	ReadMS      int64 `json:"read_after_ms"`
	Drop        bool  `json:"drop"`
}

func ackToJSON(p AckPolicy) ackJSON {
	return ackJSON{
		SentMS:      p.SentAfter.Milliseconds(),
		DeliveredMS: p.DeliveredAfter.Milliseconds(),
		ReadMS:      p.ReadAfter.Milliseconds(),
		Drop:        p.Drop,
	}
}

// State returns a snapshot of the simulator.
func (s *Server) State() State {
	st := State{
		Linked:      s.Linked(),
		QR:          s.CurrentQR(),
		QRRotations: s.QRRotations(),
		QRSeries:    s.QRSeries(),
		LinkCode:    s.LinkCode(),
		Conflict:    s.InConflict(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Ledger = len(s.ledger)
	st.Accounts = []AccountState{}
	for _, a := range s.accounts {
		as := AccountState{Phone: a.phone, Offline: a.offline}
		for _, d := range s.devicesOf(a.phone) {
			if !d.loggedOut {
				as.Linked++
				as.Conflict = as.Conflict || d.activeTab == elsewhere
			}
		}
		for _, e := range s.ledger {
			if e.Account == a.phone {
				as.Ledger++
			}
		}
		st.Offline = st.Offline || a.offline
		st.Accounts = append(st.Accounts, as)
	}
	sort.Slice(st.Accounts, func(i, j int) bool { return st.Accounts[i].Phone < st.Accounts[j].Phone })
	st.Acks = ackToJSON(s.acks)
	st.Unknown = []string{}
	for p := range s.unknown {
		st.Unknown = append(st.Unknown, p)
	}
	sort.Strings(st.Unknown)
	return st
}
