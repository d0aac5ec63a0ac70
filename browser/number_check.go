package browser

import (
	"context"
	"errors"
)

// CheckNumber reports whether phone is on WhatsApp by opening its chat; it
// sends nothing.
func (m *Manager) CheckNumber(ctx context.Context, phone string) (bool, error) {
	digits, err := phoneDigits(phone)
	if err != nil {
		return false, err
	}
	var exists bool
	err = m.withPage(ctx, "check number", []State{StateReady}, func(ctx context.Context, pd *pageDriver) error {
		err := m.openChat(ctx, pd, digits, "")
		if errors.Is(err, ErrInvalidNumber) {
			return nil
		}
		exists = err == nil
		return err
	})
	return exists, err
}
