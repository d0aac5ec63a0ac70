// Package wasim is a WhatsApp Web simulator: a small HTTP server whose page
// reproduces the parts of https://web.whatsapp.com that Sambad's driver relies
// on (see /work/shared/whatsapp-web-surface.md), with the real site's timings
// and traps: a loading screen, a rotating QR code that expires, a session kept
// in the browser profile (localStorage and IndexedDB), click-to-chat with the
// invalid-number modal, acks that arrive late, the conflict modal and the
// phone-offline banner.
//
// Tests and the `sambad simulator` command drive the "phone side" through Go
// methods on *Server (Scan, Logout, SetUnknown, SetAcks, RaiseConflict,
// SetOffline, Ledger, ...) or the equivalent JSON control API under /__sim/.
// The real site has no such API: the driver must never call it.
//
// The page talks to the server through a private API under /wa/ (the real
// site uses a websocket); it is an implementation detail of the simulator.
package wasim
