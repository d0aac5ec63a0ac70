package models

import (
	"context"
	"fmt"
	"strings"
)

// maxPreviewIDs bounds the groups and contacts of an audience preview.
const maxPreviewIDs = 1000

// AudiencePreview counts the audience of groups and contacts not saved yet
// (the campaign form while it is edited), as AudienceCounts does for a
// saved campaign, and returns its first contact who is not opted out (nil
// when there is none).
func (s *Store) AudiencePreview(ctx context.Context, groupIDs, contactIDs []string) (total, optedOut int64, first *Contact, err error) {
	if len(groupIDs)+len(contactIDs) == 0 {
		return 0, 0, nil, nil
	}
	if len(groupIDs) > maxPreviewIDs || len(contactIDs) > maxPreviewIDs {
		return 0, 0, nil, &ValidationError{Message: fmt.Sprintf("too many groups or contacts to preview (at most %d of each)", maxPreviewIDs)}
	}
	marks := func(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }
	// Members of the groups and the contacts chosen one by one, each once.
	// Ids that are not ids (a tampered form) match nothing. Either list may
	// be empty, so the statements are assembled from named pieces and bind
	// marks; the ids are only bound.
	var parts []string
	var args []any
	valid := func(list []string) []any {
		var out []any
		for _, id := range list {
			if ValidID(id) {
				out = append(out, id)
			}
		}
		return out
	}
	if g := valid(groupIDs); len(g) > 0 {
		parts = append(parts, fillSlot(s.q.AudiencePreviewGroups, "ids", marks(len(g))))
		args = append(args, g...)
	}
	if c := valid(contactIDs); len(c) > 0 {
		parts = append(parts, fillSlot(s.q.AudiencePreviewContacts, "ids", marks(len(c))))
		args = append(args, c...)
	}
	if len(parts) == 0 {
		return 0, 0, nil, nil
	}
	where := "(" + strings.Join(parts, " OR ") + ")"
	q := s.rebind(fillSlot(s.q.AudiencePreviewCount, "audience", where))
	if err := s.sqlDB().QueryRowContext(ctx, q, args...).Scan(&total, &optedOut); err != nil {
		return 0, 0, nil, fmt.Errorf("store: unable to count the audience: %w", err)
	}
	rows, err := s.sqlDB().QueryContext(ctx, s.rebind(fillSlot(s.q.AudiencePreviewFirst, "audience", where)), args...)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("store: unable to read the audience: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		first = &Contact{}
		if err := scanContact(rows, first); err != nil {
			return 0, 0, nil, fmt.Errorf("store: unable to read the audience: %w", err)
		}
	}
	return total, optedOut, first, rows.Err()
}
