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
	st.Offline = s.offline
	st.Ledger = len(s.ledger)
	st.Acks = ackToJSON(s.acks)
	st.Unknown = []string{}
	for p := range s.unknown {
		st.Unknown = append(st.Unknown, p)
	}
	sort.Strings(st.Unknown)
	return st
}
