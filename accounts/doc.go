// Package accounts keeps Sambad's WhatsApp accounts: one linked number
// each, with its own Chromium profile under
// <data dir>/whatsapp-session/<account id>/ (0700, never synced), its own
// supervised browser.Manager (supervisor, memory watchdog, session states)
// and its row in whatsapp_accounts (synced, so every install can list it).
//
// Browsers start on demand and stop after Options.Idle without work: a
// command on the page (send, check, take over, ...) is work, and so is a
// running campaign that wants the account (Options.Wanted). A stopped
// browser keeps its profile, so the session survives and the next start
// logs straight in. The first account starts with Sambad, as the single
// session did before accounts existed.
//
// Open also upgrades a data directory made before accounts existed: its
// whatsapp-session/ profile becomes the first account's, without a new
// scan.
//
// The registry knows nothing of campaigns or pages: whatsapp/ adapts it to
// the server's and the campaign engine's ports, and cli wires it.
package accounts
