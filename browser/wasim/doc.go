// Package wasim is a WhatsApp Web simulator: a small HTTP server whose page
// reproduces the parts of https://web.whatsapp.com that Sambad's driver relies
// on (see whatsapp-web-surface.md), with the real site's timings and traps: a
// loading screen, a rotating QR code that expires, a session kept in the
// browser profile, click-to-chat with a transient "Starting chat" dialog and
// the invalid-number modal, acks that arrive late, the conflict modal and the
// phone-offline banner. Class names are random on every load and there is no
// data-testid, so only the contract's selectors work.
//
// # Using it
//
//	s := wasim.New(wasim.Options{LoadingDuration: 200 * time.Millisecond})
//	base, err := s.Start("127.0.0.1:0") // a fixed port keeps profiles valid across restarts
//	defer s.Close()
//
// Run(ctx, addr, opts) does the same for the `sambad simulator` command and
// serves until ctx is done. Start may be called again after Close; the state
// (sessions, ledger) lives in the Server and survives.
//
// # The phone side
//
// Tests drive the simulated phone through methods on *Server, or through the
// equivalent JSON control API (a human can use the page at /__sim/):
//
//	Scan() / ScanRef(payload)   POST /__sim/scan {"ref": optional}    link the QR shown (ErrNoQR if none)
//	ConfirmLinkCode(code)       POST /__sim/link-code {"code"}         link via "Link with phone number"
//	Logout()                    POST /__sim/logout                     unlink: page goes to ?post_logout=1
//	SetUnknown(p) / SetKnown(p) POST /__sim/unknown {"phone","unknown"} number not on WhatsApp
//	SetAcks(AckPolicy)          POST /__sim/acks {"delay_ms","delivered_ms","read_after_ms","drop"}
//	RaiseConflict()             POST /__sim/conflict                   "open in another window" modal
//	SetOffline(bool)            POST /__sim/offline {"offline"}        phone-offline banner, sends held
//	AddIncoming(phone, text)    POST /__sim/incoming {"phone","text"}  a message from the contact
//	Ledger()                    GET  /__sim/ledger                     [{"phone","text","time","id",
//	                                                                    "kind","file_name","size","sha256"}]
//	State()                     GET  /__sim/state
//	Reset()                     POST /__sim/reset
//
// plus CurrentQR, QRRotations, QRSeries, LinkCode, Linked, InConflict, Acks,
// SetAckDelay and Ack(id). Errors come back as {"error": "..."} with 400
// (bad request) or 409 (nothing to scan, wrong code).
//
// # Messages and acks
//
// A message the page sends is accepted by the server at once (it enters the
// Ledger) unless the phone is offline (held, on the clock, accepted when it
// comes back) or the ack policy drops it (never accepted: the clock stays
// forever and the ledger never sees it). An accepted message then shows
// msg-check " Sent " after SentAfter, msg-dblcheck " Delivered " after
// DeliveredAfter and " Read " after ReadAfter (negative: never); acks never
// overtake each other. The page learns acks by polling every PollInterval.
//
// # Compose timings
//
// The chat view is as awkward as the real page's (section 4a), on by
// default (Options.Timing; Timing.Off turns it off): a share of chats show
// the compose box before its input handlers are wired (text typed then
// stays, Enter is a line break, and the send button waits for the next input
// event after the wiring), an empty box shows the microphone, history loads
// after a delay, text= is filled 0.2-3 s after the chat opens (after the
// wiring) and replaces what was typed, and a chat keeps its unsent draft in
// the profile. Every delay is drawn from a seed (Timing.Seed, else
// SAMBAD_SIM_SEED, else random; Server.Seed tells it, ReportSeedOnFailure
// logs it when a test fails), so a run replays.
//
// # Attachments
//
// Section 4b: the footer's attach button (its icon is plus-rounded, plus,
// attach-menu-plus or clip, with aria-label and/or title "Attach", drawn per
// page load), a menu whose hidden file inputs ("Photos & videos":
// accept image/*,video/mp4,video/3gpp,video/quicktime; "Document":
// accept="*"; both multiple) exist only while it is open, and the media
// editor that covers the chat: a preview, a thumbnail strip for several
// files, the caption box (aria-label "Add a caption", one caption per file:
// select a thumbnail, then type), its own send button and Close. A photo,
// video or audio file over 16 MB is refused with a notice
// (role=alert, "The file you tried adding is larger than the 16 MB limit.").
// Sending makes one outgoing row per file (a photo holds an img with a
// blob: src, a video a play icon, a document its name in a
// title='Download "<name>"' box; the caption is the row's
// span.selectable-text). The page uploads each file's bytes to the server,
// which records kind, name, size and SHA-256 in the ledger (Text is the
// caption). With the timings on (Timing.AttachMax, Timing.EditorMax) the
// button does nothing before the chat is wired, a second click while the
// menu is coming cancels it, the menu and its inputs attach late, the
// editor renders late and its caption box is wired late: text typed into it
// before its send button shows is dropped.
//
// The page talks to its server through a private API under /wa/ (the real
// site uses a websocket); the driver must never call it nor /__sim/.
package wasim
