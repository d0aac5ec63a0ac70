package models

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// exportPage contacts are read per query while exporting.
const exportPage = 1000

// ContactAttributeKeys returns, sorted, the attribute names the contacts q
// selects use (q's paging is ignored): an export's extra columns.
func (s *Store) ContactAttributeKeys(ctx context.Context, q ContactQuery) ([]string, error) {
	if q.GroupID != "" && !ValidID(q.GroupID) {
		return nil, fmt.Errorf("store: group %s: %w", q.GroupID, ErrNotFound)
	}
	pattern := ""
	if t := strings.TrimSpace(q.Q); t != "" {
		pattern = likePattern(t)
	}
	keys := []string{}
	rows, err := s.sqlDB().QueryContext(ctx, s.q.ContactAttributes, pattern, q.GroupID)
	if err == nil {
		defer rows.Close()
		for rows.Next() {
			var k string
			if err = rows.Scan(&k); err != nil {
				break
			}
			keys = append(keys, k)
		}
		if err == nil {
			err = rows.Err()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to list attribute names: %w", err)
	}
	sort.Strings(keys)
	return keys, nil
}

// EachContact calls fn for every contact q selects (q's paging is
// ignored), ordered by name, with the names of its groups. It reads a page
// at a time, so an export of any size holds one page in memory.
func (s *Store) EachContact(ctx context.Context, q ContactQuery, fn func(c *Contact, groups []string) error) error {
	if q.GroupID != "" && !ValidID(q.GroupID) {
		return fmt.Errorf("store: group %s: %w", q.GroupID, ErrNotFound)
	}
	var lastName, lastID string
	for first := true; ; first = false {
		tx := s.contactScope(ctx, q)
		if !first {
			// Keyset paging on the (name, id) index: each page starts where the last ended.
			tx = tx.Where("(name > ? OR (name = ? AND id > ?))", lastName, lastName, lastID)
		}
		var page []Contact
		if err := tx.Order("name, id").Limit(exportPage).Find(&page).Error; err != nil {
			return fmt.Errorf("store: unable to read contacts: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		groups, err := s.groupNamesOf(ctx, page)
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i], groups[page[i].ID]); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			return nil
		}
		lastName, lastID = page[len(page)-1].Name, page[len(page)-1].ID
	}
}

// groupNamesOf returns the group names of each contact, by contact id.
func (s *Store) groupNamesOf(ctx context.Context, contacts []Contact) (map[string][]string, error) {
	ids := make([]string, len(contacts))
	for i := range contacts {
		ids[i] = contacts[i].ID
	}
	var rows []struct{ ContactID, Name string }
	err := s.db.WithContext(ctx).Table("group_members m").Select("m.contact_id, g.name").
		Joins("JOIN contact_groups g ON g.id = m.group_id").Where("m.contact_id IN ?", ids).Order("lower(g.name)").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read group memberships: %w", err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.ContactID] = append(out[r.ContactID], r.Name)
	}
	return out, nil
}
