// Package browser drives WhatsApp Web in Chromium: it supervises one browser
// on the persistent profile, follows the session through its states
// (loading, QR, ready, conflict, ...) and sends messages by click-to-chat.
//
// Typical use:
//
//	m := browser.NewManager(browser.Options{DataDir: dir, Headless: true})
//	_ = m.Start(ctx)                  // returns at once; the worker runs until Stop
//	events, cancel := m.Subscribe()   // state changes (QR, percent, ...) and acks
//	defer cancel()
//	st, _ := m.WaitFor(ctx, browser.StateReady)
//	res, err := m.SendText(ctx, "+919812345678", "hello")
//	switch {
//	case errors.Is(err, browser.ErrInvalidNumber): // not on WhatsApp, nothing sent
//	case errors.Is(err, browser.ErrNotReady):      // not linked / conflict / offline, nothing sent
//	case errors.Is(err, browser.ErrBrowserDied),   // outcome unknown:
//		errors.Is(err, browser.ErrTimeout):        // reconcile with RecentOutgoing
//	}
//	// A file: through the attach menu and the media editor, same outcomes.
//	res, err = m.SendFile(ctx, "+919812345678", browser.File{
//		Path: stored, Name: "Price list.pdf", Kind: browser.KindDocument, Caption: "hello"})
//	_ = m.Stop(ctx)
//
// Commands are serialised on the single page. The worker goroutine owns the
// browser: a panic or a dead browser never reaches the caller's goroutine, a
// command in flight when the browser dies fails with ErrBrowserDied, and the
// browser is restarted on the same profile with backoff.
//
// All markup knowledge lives in selectors.json (embedded, overridable per key
// by <data dir>/selectors.json, re-read when it changes). The driver knows
// nothing of campaigns; the campaign engine talks to it through Manager.
package browser
