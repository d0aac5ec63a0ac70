// Package whatsapp is where the WhatsApp driver (browser.Manager) meets the
// packages that must not know it: it adapts the driver to the campaign
// engine's ports (Sender, and Feed for session changes and acks) and to the
// server's WhatsApp port (the session page, the API and single sends). The
// driver knows nothing of campaigns or pages, the engine and the server
// nothing of rod; cli wires the adapters in.
package whatsapp
