package models

import (
	"context"
	"fmt"
	"strings"
)

// listContactsSQLite is ListContacts for SQLite, shaped for 100,000+
// contacts: the page's ids and the count come from the
// (name, id, search_text) index alone, never the table, and only the
// page's rows are then read from the table.
func (s *Store) listContactsSQLite(ctx context.Context, q ContactQuery) ([]Contact, int64, error) {
	var where []string
	var args []any
	if cond, condArgs := q.searchCond(); cond != "" {
		where = append(where, cond)
		args = append(args, condArgs...)
	}
	if q.GroupID != "" {
		where = append(where, "id IN (SELECT contact_id FROM group_members WHERE group_id = ?)")
		args = append(args, q.GroupID)
	}
	if c := q.onWhatsAppCond(); c != "" {
		where = append(where, c)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	// The page first: it walks the index in order and stops at its last row.
	// A short page tells the total without the count's full scan, which is
	// what a search for something rare would otherwise pay twice.
	offset := (q.Page - 1) * q.PerPage
	var ids []string
	err := s.db.WithContext(ctx).Raw("SELECT id FROM contacts INDEXED BY contacts_name_search"+cond+" ORDER BY name, id LIMIT ? OFFSET ?",
		append(args, q.PerPage, offset)...).Scan(&ids).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list contacts: %w", err)
	}
	total := int64(offset + len(ids))
	if len(ids) == q.PerPage || (len(ids) == 0 && offset > 0) {
		if err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM contacts INDEXED BY contacts_name_search"+cond, args...).Scan(&total).Error; err != nil {
			return nil, 0, fmt.Errorf("store: unable to count contacts: %w", err)
		}
	}
	items := []Contact{}
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Where("id IN ?", ids).Order("name, id").Find(&items).Error; err != nil {
			return nil, 0, fmt.Errorf("store: unable to list contacts: %w", err)
		}
	}
	return items, total, nil
}
