package models

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"
)

// listContactsSQLite is ListContacts for SQLite, shaped for 100,000+
// contacts. Both the count and the page's ids come from the
// (name, id, search_text) index alone, never the table: the page walks it
// in order and stops once it has its rows, and the two queries run side by
// side on two connections (WAL lets readers run in parallel). Only the
// page's rows are then read from the table.
func (s *Store) listContactsSQLite(ctx context.Context, q ContactQuery) ([]Contact, int64, error) {
	var where []string
	var args []any
	if t := strings.TrimSpace(q.Q); t != "" {
		where = append(where, `search_text LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(t))
	}
	if q.GroupID != "" {
		where = append(where, "id IN (SELECT contact_id FROM group_members WHERE group_id = ?)")
		args = append(args, q.GroupID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int64
	var ids []string
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return s.db.WithContext(gctx).Raw("SELECT COUNT(*) FROM contacts INDEXED BY contacts_name_search"+cond, args...).Scan(&total).Error
	})
	g.Go(func() error {
		return s.db.WithContext(gctx).Raw("SELECT id FROM contacts INDEXED BY contacts_name_search"+cond+" ORDER BY name, id LIMIT ? OFFSET ?",
			append(args, q.PerPage, (q.Page-1)*q.PerPage)...).Scan(&ids).Error
	})
	if err := g.Wait(); err != nil {
		return nil, 0, fmt.Errorf("store: unable to list contacts: %w", err)
	}
	items := []Contact{}
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Where("id IN ?", ids).Order("name, id").Find(&items).Error; err != nil {
			return nil, 0, fmt.Errorf("store: unable to list contacts: %w", err)
		}
	}
	return items, total, nil
}
