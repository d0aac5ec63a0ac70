package wasim

import "net/http"

func (s *Server) routes() {
	m := s.mux
	// The WhatsApp Web page.
	m.HandleFunc("GET /{$}", s.handleApp)
	m.HandleFunc("GET /send", s.handleApp)
	m.HandleFunc("GET /send/{$}", s.handleApp)
	m.HandleFunc("GET /static/app.js", s.handleAsset)
	m.HandleFunc("GET /static/app.css", s.handleAsset)
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	// The page's private API (the real site uses a websocket).
	m.HandleFunc("POST /wa/pair", s.handlePairNew)
	m.HandleFunc("GET /wa/pair/{id}", s.handlePairPoll)
	m.HandleFunc("POST /wa/pair/{id}/reload", s.handlePairReload)
	m.HandleFunc("POST /wa/pair/{id}/code", s.handlePairCode)
	m.HandleFunc("GET /wa/session", s.handleSessionCheck)
	m.HandleFunc("POST /wa/open", s.handleSessionOpen)
	m.HandleFunc("POST /wa/takeover", s.handleSessionTakeover)
	m.HandleFunc("POST /wa/logout", s.handleSessionLogout)
	m.HandleFunc("GET /wa/poll", s.handlePoll)
	m.HandleFunc("GET /wa/contact/{phone}", s.handleContactCheck)
	m.HandleFunc("GET /wa/chats", s.handleChatList)
	m.HandleFunc("POST /wa/send", s.handleMessageSend)
	m.HandleFunc("POST /wa/media", s.handleMediaSend)
	m.HandleFunc("GET /wa/media/{id}", s.handleMediaGet)

	// The simulated phone: control API and page.
	m.HandleFunc("GET /__sim/{$}", s.handleSimPage)
	m.HandleFunc("POST /__sim/scan", s.handleSimScan)
	m.HandleFunc("POST /__sim/link-code", s.handleSimLinkCode)
	m.HandleFunc("POST /__sim/logout", s.handleSimLogout)
	m.HandleFunc("POST /__sim/unknown", s.handleSimUnknown)
	m.HandleFunc("POST /__sim/acks", s.handleSimAcks)
	m.HandleFunc("POST /__sim/conflict", s.handleSimConflict)
	m.HandleFunc("POST /__sim/offline", s.handleSimOffline)
	m.HandleFunc("POST /__sim/incoming", s.handleSimIncoming)
	m.HandleFunc("GET /__sim/ledger", s.handleSimLedger)
	m.HandleFunc("GET /__sim/state", s.handleSimState)
	m.HandleFunc("POST /__sim/reset", s.handleSimReset)
}
