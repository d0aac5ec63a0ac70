package models

import (
	"context"
	"fmt"
)

// Settings returns the stored settings by key.
func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.Settings)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: unable to read settings: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SaveSettings stores settings in one transaction; an empty value removes
// the setting (its default applies again).
func (s *Store) SaveSettings(ctx context.Context, values map[string]string) error {
	tx, err := s.sqlDB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: unable to save settings: %w", err)
	}
	defer tx.Rollback()
	now := s.now()
	for k, v := range values {
		q, args := s.q.SettingsDelete, []any{k}
		if v != "" {
			q, args = s.q.SettingsPut, []any{k, v, now}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store: unable to save settings: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: unable to save settings: %w", err)
	}
	return nil
}
