package wasim

import (
	"errors"
	"net/http"
	"time"
)

func ok(w http.ResponseWriter) { writeJSON(w, http.StatusOK, map[string]bool{"ok": true}) }

// handleSimPage serves the simulated phone: buttons for the control API.
func (s *Server) handleSimPage(w http.ResponseWriter, r *http.Request) {
	data, err := webFS.ReadFile("web/sim.html")
	if err != nil {
		http.Error(w, "wasim: control page missing", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(data)
}

// handleSimScan links the QR shown now: body {"ref": optional payload,
// "account": optional own number of the phone that scans}.
func (s *Server) handleSimScan(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Ref     string `json:"ref"`
		Account string `json:"account"`
	}
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if req.Account != "" && !plausiblePhone.MatchString(req.Account) {
		writeError(w, http.StatusBadRequest, errors.New("wasim: account must be a phone number, digits only"))
		return
	}
	if err := s.ScanRefAs(req.Ref, req.Account); err != nil {
		writeError(w, http.StatusConflict, err)
		return
	}
	ok(w)
}

// handleSimLinkCode types a link code on the phone: body {"code": "ABCDEFGH"}.
func (s *Server) handleSimLinkCode(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := s.ConfirmLinkCode(req.Code); err != nil {
		writeError(w, http.StatusConflict, err)
		return
	}
	ok(w)
}

// accountReq is the optional {"account": own number} of the phone-side
// calls that act on one account; absent means every account.
type accountReq struct {
	Account string `json:"account"`
}

func readAccount(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req accountReq
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return "", false
	}
	if req.Account != "" && !plausiblePhone.MatchString(req.Account) {
		writeError(w, http.StatusBadRequest, errors.New("wasim: account must be a phone number, digits only"))
		return "", false
	}
	return req.Account, true
}

// handleSimLogout body {"account": optional}.
func (s *Server) handleSimLogout(w http.ResponseWriter, r *http.Request) {
	account, good := readAccount(w, r)
	if !good {
		return
	}
	s.LogoutAccount(account)
	ok(w)
}

// handleSimUnknown body {"phone": "9198...", "unknown": true (default)}.
func (s *Server) handleSimUnknown(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Phone   string `json:"phone"`
		Unknown *bool  `json:"unknown"`
	}
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if req.Phone == "" {
		writeError(w, http.StatusBadRequest, errors.New("wasim: phone is required"))
		return
	}
	if req.Unknown != nil && !*req.Unknown {
		s.SetKnown(req.Phone)
	} else {
		s.SetUnknown(req.Phone)
	}
	ok(w)
}

// handleSimAcks changes the ack policy; absent fields keep their value.
// Body {"delay_ms": sent, "delivered_ms": n, "read_after_ms": n (-1 never),
// "drop": bool}.
func (s *Server) handleSimAcks(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Sent      *int64 `json:"delay_ms"`
		Delivered *int64 `json:"delivered_ms"`
		Read      *int64 `json:"read_after_ms"`
		Drop      *bool  `json:"drop"`
	}
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	p := s.Acks()
	ms := func(v int64) time.Duration { return time.Duration(v) * time.Millisecond }
	if req.Sent != nil {
		p.SentAfter = ms(*req.Sent)
	}
	if req.Delivered != nil {
		p.DeliveredAfter = ms(*req.Delivered)
	}
	if req.Read != nil {
		p.ReadAfter = ms(*req.Read)
	}
	if req.Drop != nil {
		p.Drop = *req.Drop
	}
	s.SetAcks(p)
	writeJSON(w, http.StatusOK, ackToJSON(p))
}

// handleSimConflict body {"account": optional}.
func (s *Server) handleSimConflict(w http.ResponseWriter, r *http.Request) {
	account, good := readAccount(w, r)
	if !good {
		return
	}
	s.RaiseConflictOn(account)
	ok(w)
}

// handleSimOffline body {"offline": bool, "account": optional}.
func (s *Server) handleSimOffline(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Offline *bool  `json:"offline"`
		Account string `json:"account"`
	}
	if err := readJSON(r, &req); err != nil || req.Offline == nil {
		writeError(w, http.StatusBadRequest, errors.New(`wasim: body must be {"offline": true|false, "account": optional}`))
		return
	}
	s.SetAccountOffline(req.Account, *req.Offline)
	ok(w)
}

// handleSimIncoming body {"phone": "...", "text": "...", "account": optional}.
func (s *Server) handleSimIncoming(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Phone   string `json:"phone"`
		Text    string `json:"text"`
		Account string `json:"account"`
	}
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if !plausiblePhone.MatchString(req.Phone) || req.Text == "" {
		writeError(w, http.StatusBadRequest, errors.New("wasim: phone (digits) and text are required"))
		return
	}
	if req.Account != "" && !plausiblePhone.MatchString(req.Account) {
		writeError(w, http.StatusBadRequest, errors.New("wasim: account must be a phone number, digits only"))
		return
	}
	s.AddIncomingTo(req.Account, req.Phone, req.Text)
	ok(w)
}

func (s *Server) handleSimLedger(w http.ResponseWriter, r *http.Request) {
	l := s.Ledger()
	if l == nil {
		l = []LedgerEntry{}
	}
	writeJSON(w, http.StatusOK, l)
}

func (s *Server) handleSimState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.State())
}

func (s *Server) handleSimReset(w http.ResponseWriter, r *http.Request) {
	s.Reset()
	ok(w)
}
