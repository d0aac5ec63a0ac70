package server

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"github.com/sambad/sambad/config"
)

// hostGuard answers 421 to a request whose Host header names a host Sambad
// is not served as. Without it a web page the user visits could point its
// own name at 127.0.0.1 (DNS rebinding) and then read and change everything
// as a same-origin page: the browser's Origin matches the attacker's Host,
// so the cross-origin protection lets it through.
//
// Allowed: localhost, any IP address (rebinding needs a name the attacker
// controls; a page reached by IP address is Sambad's own origin), the host
// of SAMBAD_ADDR and the names in SAMBAD_ALLOWED_HOSTS. The port is not
// compared: a reverse proxy may serve Sambad on another one.
type hostGuard struct {
	names map[string]bool
	next  http.Handler
}

// guardHosts wraps next with the Host check for cfg.
func guardHosts(cfg *config.Config, next http.Handler) http.Handler {
	g := &hostGuard{names: map[string]bool{"localhost": true}, next: next}
	if host, _, err := net.SplitHostPort(cfg.Addr); err == nil && host != "" {
		g.names[normalHost(host)] = true
	}
	for _, h := range cfg.AllowedHosts {
		g.names[normalHost(h)] = true
	}
	return g
}

func (g *hostGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.allowed(r.Host) {
		g.next.ServeHTTP(w, r)
		return
	}
	msg := "Sambad is not served as " + truncate(r.Host, 64) +
		": open it at the address it runs on, or add this name to SAMBAD_ALLOWED_HOSTS (for a reverse proxy or a LAN name)"
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusMisdirectedRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": msg})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusMisdirectedRequest)
	w.Write([]byte(msg + "\n"))
}

// allowed reports whether host (a Host header, with or without a port) is
// one Sambad answers to. A request without a Host header is not from a
// browser (browsers always send one), so it cannot be a rebinding attack.
func (g *hostGuard) allowed(host string) bool {
	if host == "" {
		return true
	}
	h := normalHost(host)
	if net.ParseIP(h) != nil {
		return true
	}
	return g.names[h]
}

// normalHost lowercases a host, dropping its port, IPv6 brackets and a
// trailing dot ("LOCALHOST.:8080" → "localhost").
func normalHost(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// truncate cuts s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i] + "…"
		}
		count++
	}
	return s
}
