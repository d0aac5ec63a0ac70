package models

import (
	"context"
	"fmt"
	"strings"
)

// GroupNamesOf returns, for each of the given contacts, the names of the
// groups it is in, sorted (for the contacts list's groups column).
func (s *Store) GroupNamesOf(ctx context.Context, contactIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	var args []any
	for _, id := range contactIDs {
		if ValidID(id) {
			args = append(args, id)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	q := s.rebind(fillSlot(s.q.GroupNamesOf, "ids", strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")))
	rows, err := s.sqlDB().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read contacts' groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("store: unable to read contacts' groups: %w", err)
		}
		out[id] = append(out[id], name)
	}
	return out, rows.Err()
}
