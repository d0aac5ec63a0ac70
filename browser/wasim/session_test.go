package wasim

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

func TestSessionPersistsAndLogsOut(t *testing.T) {
	s, base := startSim(t, fastOptions())
	p := linkPage(t, s, base)
	element(t, p, `#side #pane-side`)
	element(t, p, `div[contenteditable="true"][data-tab="3"][aria-label="Search or start a new chat"]`)
	if evalStr(t, p, `localStorage.getItem('WAToken1')`) == "null" {
		t.Fatal("no session in localStorage after linking")
	}

	if err := p.Reload(); err != nil {
		t.Fatal(err)
	}
	element(t, p, `#app progress`)
	element(t, p, `#side [data-icon="search"]`)
	if has, _, _ := p.Has(`[data-ref]`); has {
		t.Fatal("QR shown after a reload of a linked profile")
	}

	s.Logout()
	waitJS(t, p, "the post-logout landing", `location.search.includes('post_logout=1') && document.querySelector('div[data-ref] canvas')`, 10*time.Second)
	if n := evalStr(t, p, `localStorage.length`); n != "0" {
		t.Fatalf("localStorage keeps %s keys after logout", n)
	}
	dbs := evalStr(t, p, `indexedDB.databases().then(d => d.length)`)
	if dbs != "0" {
		t.Fatalf("IndexedDB keeps %s databases after logout", dbs)
	}
}

// A token kept in the profile but logged out while the page was closed is
// rejected at the next start.
func TestLoggedOutTokenIsRejected(t *testing.T) {
	s, base := startSim(t, fastOptions())
	p := linkPage(t, s, base)
	if err := p.Navigate("about:blank"); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	if err := p.Navigate(base + "/"); err != nil {
		t.Fatal(err)
	}
	waitJS(t, p, "the post-logout landing", `location.search.includes('post_logout=1') && document.querySelector('div[data-ref] canvas')`, 10*time.Second)
}

// The real use: Chromium restarts on the same profile directory and the
// simulator on the same port; the device is still linked.
func TestProfileSurvivesBrowserRestart(t *testing.T) {
	addr := freeAddr(t)
	s := New(fastOptions())
	base, err := s.Start(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	profile := t.TempDir()

	b := launchOn(t, profile)
	p := b.MustPage(base + "/")
	element(t, p, qrCanvas)
	if err := s.Scan(); err != nil {
		t.Fatal(err)
	}
	element(t, p, `#side [data-icon="search"]`)
	_ = b.Close()

	// The simulator restarts on the same port (its state lives in the
	// Server); the new browser must find the session in the profile.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if again, err := s.Start(addr); err != nil || again != base {
		t.Fatalf("restart on %s: %v (%s)", addr, err, again)
	}
	b = launchOn(t, profile)
	p = b.MustPage(base + "/")
	element(t, p, `#side [data-icon="search"]`)
	if has, _, _ := p.Has(`[data-ref]`); has {
		t.Fatal("QR shown after restarting on the same profile")
	}
	_ = b.Close()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func launchOn(t *testing.T, profile string) *rod.Browser {
	t.Helper()
	l := quietLauncher().UserDataDir(profile)
	u, err := l.Launch()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Kill)
	b := rod.New().ControlURL(u)
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConflictModal(t *testing.T) {
	s, base := startSim(t, fastOptions())
	p := linkPage(t, s, base)
	const phone = "447700900123"
	if err := p.Navigate(sendURL(base, phone, "held back")); err != nil {
		t.Fatal(err)
	}
	element(t, p, sendButton)

	s.RaiseConflict()
	dialog := element(t, p, `[role="dialog"]`)
	txt, _ := dialog.Text()
	if !strings.Contains(txt, `WhatsApp is open in another window. Click "Use Here" to use WhatsApp in this window.`) {
		t.Fatalf("conflict modal says %q", txt)
	}
	element(t, p, `[role="dialog"] div[role="button"]`)
	// Enter in the compose box must not send while the modal is up.
	focusCompose(t, p)
	if err := p.Keyboard.Type('\r'); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(s.Ledger()); n != 0 {
		t.Fatalf("sent %d messages during a conflict", n)
	}

	useHere, err := p.Timeout(5*time.Second).ElementR(`[role="dialog"] div[role="button"]`, `^USE HERE$`)
	if err != nil {
		t.Fatal(err)
	}
	click(t, useHere)
	waitJS(t, p, "the modal to close", `!document.querySelector('[role="dialog"]')`, 3*time.Second)
	click(t, element(t, p, sendButton))
	if l := waitLedger(t, s, 1, 5*time.Second); l[0].Text != "held back" {
		t.Fatalf("ledger %q", l[0].Text)
	}

	// A second window on the same profile takes the session over.
	second, err := p.Browser().Page(proto.TargetCreateTarget{URL: base + "/"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = second.Close() })
	element(t, second, `#side [data-icon="search"]`)
	element(t, p, `[role="dialog"]`)
	if has, _, _ := second.Has(`[role="dialog"]`); has {
		t.Fatal("the newer window shows the conflict modal")
	}

	// CLOSE leaves a screen whose USE HERE takes the session back. The
	// older tab is in the background now: bring it forward to click in it.
	if _, err := p.Activate(); err != nil {
		t.Fatal(err)
	}
	closeBtn, err := p.Timeout(3*time.Second).ElementR(`[role="dialog"] div[role="button"]`, `^CLOSE$`)
	if err != nil {
		t.Fatal(err)
	}
	click(t, closeBtn)
	again, err := p.Timeout(3*time.Second).ElementR(`div[role="button"]`, `^USE HERE$`)
	if err != nil {
		t.Fatal(err)
	}
	click(t, again)
	element(t, p, `#side [data-icon="search"]`)
	element(t, second, `[role="dialog"]`)
}

func focusCompose(t *testing.T, p *rod.Page) {
	t.Helper()
	if _, err := p.Eval(`() => document.querySelector('div[contenteditable="true"][data-tab="10"]').focus()`); err != nil {
		t.Fatal(err)
	}
}

func TestMenuLogout(t *testing.T) {
	s, base := startSim(t, fastOptions())
	p := linkPage(t, s, base)
	click(t, element(t, p, `#side header [data-icon="menu"]`))
	item, err := p.Timeout(3*time.Second).ElementR(`li[role="button"]`, `^Log out$`)
	if err != nil {
		t.Fatal(err)
	}
	click(t, item)
	confirm, err := p.Timeout(3*time.Second).ElementR(`[role="dialog"] button`, `^Log out$`)
	if err != nil {
		t.Fatal(err)
	}
	click(t, confirm)
	waitJS(t, p, "the post-logout landing", `location.search.includes('post_logout=1') && document.querySelector('div[data-ref] canvas')`, 10*time.Second)
	if s.Linked() {
		t.Fatal("device still linked on the server after logging out from the page")
	}
}
