package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/sirupsen/logrus"
)

// TakeOver answers the conflict modal with "Use here" and waits for the
// chat list. It does nothing when there is no conflict.
func (m *Manager) TakeOver(ctx context.Context) error {
	return m.withPage(ctx, "take over", nil, func(ctx context.Context, pd *pageDriver) error {
		r, err := pd.probe(ctx)
		if err != nil {
			return err
		}
		if r.State != "conflict" {
			m.applyProbe(r)
			return nil
		}
		ok, err := pd.click(ctx, "conflict_use_here", "")
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("browser: the Use here button was not found")
		}
		r, err = pd.wait(ctx, waitCond{States: []string{"ready", "qr"}}, m.opts.LoadTimeout)
		if err != nil {
			return err
		}
		m.applyProbe(r)
		if r.TimedOut {
			return fmt.Errorf("browser: WhatsApp did not come back after Use here: %w", ErrTimeout)
		}
		return nil
	})
}

// ReloadQR starts a new QR series: it clicks the reload button of an
// expired QR, or reloads the page.
func (m *Manager) ReloadQR(ctx context.Context) error {
	return m.withPage(ctx, "reload QR", []State{StateQR, StateLoading, StateLoggedOut}, func(ctx context.Context, pd *pageDriver) error {
		ok, err := pd.click(ctx, "qr_reload", "")
		if err != nil {
			return err
		}
		if !ok {
			if _, err := pd.navigate(ctx, m.opts.BaseURL+"/"); err != nil {
				return err
			}
		}
		m.updateStatus(func(s *Status) { s.QRRotation, s.QR, s.QRExpired = 0, "", false })
		r, err := pd.wait(ctx, waitCond{QRChange: new(string), States: []string{"ready"}}, m.opts.LoadTimeout)
		if err != nil {
			return err
		}
		m.applyProbe(r)
		if r.TimedOut {
			return fmt.Errorf("browser: no new QR code appeared: %w", ErrTimeout)
		}
		return nil
	})
}

// RequestLinkCode switches the login screen to "Link with phone number",
// enters phone and returns the 8-character code to type on the phone.
func (m *Manager) RequestLinkCode(ctx context.Context, phone string) (string, error) {
	digits, err := phoneDigits(phone)
	if err != nil {
		return "", err
	}
	var code string
	err = m.withPage(ctx, "request link code", []State{StateQR}, func(ctx context.Context, pd *pageDriver) error {
		ok, err := pd.click(ctx, "link_with_phone", "")
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("browser: the Link with phone number button was not found")
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			var f okResult
			if err := pd.run(ctx, "focus", map[string]string{"key": "link_phone_input"}, &f); err != nil {
				return err
			}
			if f.OK {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("browser: the phone number field did not appear: %w", ErrTimeout)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err := pd.typeText(ctx, "+"+digits); err != nil {
			return err
		}
		if ok, err := pd.click(ctx, "link_phone_next", ""); err != nil || !ok {
			return fmt.Errorf("browser: the Next button was not found (%v)", err)
		}
		r, err := pd.wait(ctx, waitCond{LinkCode: true, States: []string{"ready"}}, 20*time.Second)
		if err != nil {
			return err
		}
		if r.LinkCode == "" {
			return fmt.Errorf("browser: WhatsApp showed no link code: %w", ErrTimeout)
		}
		code = r.LinkCode
		m.updateStatus(func(s *Status) { s.LinkCode = code })
		return nil
	})
	return code, err
}

// Logout logs the device out in WhatsApp (menu → Log out) and resets the
// session profile. It is the only place the profile is deleted. The manager
// restarts (showing a fresh QR) if it was running.
func (m *Manager) Logout(ctx context.Context) error {
	err := m.withPage(ctx, "logout", []State{StateReady, StatePhoneOffline}, func(ctx context.Context, pd *pageDriver) error {
		if ok, err := pd.click(ctx, "menu", ""); err != nil || !ok {
			return fmt.Errorf("browser: the menu was not found (%v)", err)
		}
		if err := m.clickSoon(ctx, pd, "menu_logout", 5*time.Second); err != nil {
			return err
		}
		// Some versions confirm in a dialog; absence is fine.
		_ = m.clickSoon(ctx, pd, "logout_confirm", 1500*time.Millisecond)
		r, err := pd.wait(ctx, waitCond{States: []string{"qr"}, LoggedOut: true}, 15*time.Second)
		if err == nil && !r.TimedOut {
			m.setState(StateLoggedOut, "logged out by Sambad")
		}
		return err
	})
	if err != nil && !errors.Is(err, ErrStopped) {
		logrus.WithField("error", err).Warn("browser: logout in WhatsApp not confirmed; resetting the local session anyway")
	}
	m.mu.Lock()
	wasRunning := m.done != nil
	m.mu.Unlock()
	if err := m.Stop(ctx); err != nil {
		return fmt.Errorf("browser: unable to stop before resetting the session: %w", err)
	}
	if err := os.RemoveAll(m.opts.launcherOptions().ProfileDir()); err != nil {
		return fmt.Errorf("browser: unable to reset the session profile: %w", err)
	}
	logrus.Info("browser: session profile reset")
	m.setState(StateLoggedOut, "logged out")
	if wasRunning {
		return m.Start(ctx)
	}
	m.setState(StateStopped, "")
	return nil
}

// clickSoon clicks key as soon as it appears, within timeout.
func (m *Manager) clickSoon(ctx context.Context, pd *pageDriver, key string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := pd.click(ctx, key, "")
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("browser: %s did not appear: %w", key, ErrTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
