// Package browser drives WhatsApp Web in Chromium: it supervises one browser
// on the persistent profile, follows the session through its states
// (loading, QR, ready, conflict, ...) and sends messages by click-to-chat.
//
// All markup knowledge lives in selectors.json (embedded, overridable by
// <data dir>/selectors.json). The driver knows nothing of campaigns; the
// campaign engine talks to it through Manager.
package browser
