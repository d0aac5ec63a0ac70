package models

import (
	"context"
	"fmt"
)

// listContactsSQLite is ListContacts for SQLite, shaped for 100,000+
// contacts: the page's ids and the count come from the
// (name, id, search_text) index alone, never the table, and only the
// page's rows are then read from the table.
func (s *Store) listContactsSQLite(ctx context.Context, q ContactQuery) ([]Contact, int64, error) {
	var where []string
	var args []any
	// The filters are optional: the statements are assembled from named
	// pieces, the request's values only bound.
	if cond, condArgs := q.searchCond(s.q); cond != "" {
		where = append(where, cond)
		args = append(args, condArgs...)
	}
	if q.GroupID != "" {
		where = append(where, s.q.ContactInGroup)
		args = append(args, q.GroupID)
	}
	if c := q.onWhatsAppCond(s.q); c != "" {
		where = append(where, c)
	}
	cond := whereClause(where)
	// The page first: it walks the index in order and stops at its last row.
	// A short page tells the total without the count's full scan, which is
	// what a search for something rare would otherwise pay twice.
	offset := (q.Page - 1) * q.PerPage
	var ids []string
	err := s.db.WithContext(ctx).Raw(fillSlot(s.q.ContactsPageIDs, "where", cond),
		append(args, q.PerPage, offset)...).Scan(&ids).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list contacts: %w", err)
	}
	total := int64(offset + len(ids))
	if len(ids) == q.PerPage || (len(ids) == 0 && offset > 0) {
		if err := s.db.WithContext(ctx).Raw(fillSlot(s.q.ContactsCount, "where", cond), args...).Scan(&total).Error; err != nil {
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
